// libFuzzer target for the user's own pictures: decoding (stb_image with Atelier's truncation
// and size checks) and the 28×28 preparation, on raw bytes from memory.
#include "core/errors.h"
#include "core/image_input.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        const atelier::PreparedImage image = atelier::prepareImageBytes(
            std::string(reinterpret_cast<const char*>(data), size), "fuzz");
        // Whatever is accepted has a real size within the documented bounds.
        if (image.sourceWidth <= 0 || image.sourceHeight <= 0 ||
            image.sourceWidth > atelier::kMaxImageSide ||
            image.sourceHeight > atelier::kMaxImageSide)
            __builtin_trap();
    } catch (const atelier::InputError&) {
        // Refusing bad input with an InputError is the expected outcome.
    }
    return 0;
}
