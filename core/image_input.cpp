// Decoding with stb_image (Debian's libstb-dev, compiled here with only the three formats and
// our size bound), and the 28×28 preparation documented in image_input.h.
#include "image_input.h"

#include "atomic_file.h"
#include "errors.h"
#include "internal/image_file_checks.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <stdexcept>

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_NO_STDIO
#define STBI_FAILURE_USERMSG
// stb_image leaves a JPEG's Huffman tables uninitialised when the file does not define one
// its scan uses, then indexes with what the heap held (found by tests/fuzz, out-of-bounds
// reads that depend on earlier allocations). Zeroed memory makes such a table empty, which
// stb refuses as corrupt data.
// Every allocation is also bounded: a small PNG can inflate to gigabytes before its declared
// size is compared with what it holds (a "zlib bomb"); a refused allocation is reported as
// "outofmem", which prepareImageBytes turns into a refusal.
#define STBI_MALLOC(size) atelier::boundedAllocation(nullptr, size)
#define STBI_REALLOC(pointer, size) atelier::boundedAllocation(pointer, size)
#define STBI_FREE(pointer) std::free(pointer)
// A backstop only: the bounds a user hears about are checked before decoding (below).
#define STBI_MAX_DIMENSIONS (1 << 16)
namespace atelier {
namespace {

// What one decode may allocate at once: set from the header's size before decoding (16 bytes
// a pixel covers 16-bit RGBA and stb's intermediate rows), so a 1×1 PNG gets 1 MB, not 2 GB.
thread_local std::size_t decodeLimit = 1 << 20;

void* boundedAllocation(void* previous, std::size_t size)
{
    if (size > decodeLimit)
        return nullptr;
    if (!previous)
        return std::calloc(1, size);
    return std::realloc(previous, size);
}

} // namespace
} // namespace atelier

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#endif
#include <stb/stb_image.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace atelier {
namespace {

constexpr int kSide = kModelImageSide;
constexpr int kLightBackground = 127; // border mean above this: a light background
constexpr int kBackgroundTolerance = 16;

std::string megapixels(std::int64_t pixels)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MP", double(pixels) / 1e6);
    return text;
}

// Area averaging along one axis: each output cell is the mean of the input interval it
// covers, with partial cells weighted by their covered fraction.
std::vector<float> resampleAxis(const std::vector<float>& in, int lines, int inLength,
                                int outLength, bool alongRows)
{
    std::vector<float> out(std::size_t(lines) * std::size_t(outLength), 0.0f);
    const double step = double(inLength) / double(outLength);
    for (int o = 0; o < outLength; ++o) {
        const double from = o * step, to = (o + 1) * step;
        for (int i = int(from); i < inLength && i < to; ++i) {
            const double weight = (std::min(to, i + 1.0) - std::max(from, double(i))) / step;
            if (weight <= 0)
                continue;
            for (int line = 0; line < lines; ++line) {
                const std::size_t source =
                    alongRows ? std::size_t(line) * std::size_t(inLength) + std::size_t(i)
                              : std::size_t(i) * std::size_t(lines) + std::size_t(line);
                const std::size_t target =
                    alongRows ? std::size_t(line) * std::size_t(outLength) + std::size_t(o)
                              : std::size_t(o) * std::size_t(lines) + std::size_t(line);
                out[target] += float(weight) * in[source];
            }
        }
    }
    return out;
}

double borderMean(const std::vector<std::uint8_t>& grey, int width, int height)
{
    double sum = 0;
    std::int64_t count = 0;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            if (y == 0 || x == 0 || y == height - 1 || x == width - 1) {
                sum += grey[std::size_t(y) * std::size_t(width) + std::size_t(x)];
                ++count;
            }
    return sum / double(count);
}

// stb_image's reason for its last failure on this thread (thread_local in stb).
std::string stbReason()
{
    const char* reason = stbi_failure_reason();
    return reason ? reason : "no reason given";
}

void checkDimensions(int width, int height, const std::string& name)
{
    const std::string size = std::to_string(width) + "×" + std::to_string(height);
    if (width <= 0 || height <= 0)
        throw InputError(name + ": the image declares " + size + " pixels; it holds no picture");
    if (width > kMaxImageSide || height > kMaxImageSide ||
        std::int64_t(width) * height > kMaxImagePixels)
        throw InputError(name + ": " + size + " pixels is larger than Atelier decodes (at most " +
                         std::to_string(kMaxImageSide) + " pixels a side and " +
                         megapixels(kMaxImagePixels) + ")");
}

} // namespace

const char* imagePreparationSummary()
{
    return "Each image is made greyscale; a light background is negated to white-on-black as "
           "in Fashion-MNIST; the background becomes black, empty margins are cut, and the rest "
           "is fitted into 28×28 (aspect ratio kept) and centred. A 28×28 image on a dark "
           "background is used as it is.";
}

PreparedImage prepareGreyImage(const std::vector<std::uint8_t>& grey, int width, int height)
{
    if (width <= 0 || height <= 0 || grey.size() != std::size_t(width) * std::size_t(height))
        throw std::invalid_argument("prepareGreyImage: " + std::to_string(grey.size()) +
                                    " pixels given for " + std::to_string(width) + "×" +
                                    std::to_string(height));
    PreparedImage prepared;
    prepared.sourceWidth = width;
    prepared.sourceHeight = height;
    const double border = borderMean(grey, width, height);
    if (width == kSide && height == kSide && border <= kLightBackground) {
        prepared.unchanged = true;
        std::copy(grey.begin(), grey.end(), prepared.pixels.begin());
        return prepared;
    }
    prepared.inverted = border > kLightBackground;
    const double background = prepared.inverted ? 255.0 - border : border;
    const double gain = 255.0 / (255.0 - background);
    std::vector<float> levels(grey.size());
    int top = height, bottom = -1, left = width, right = -1;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const std::size_t at = std::size_t(y) * std::size_t(width) + std::size_t(x);
            const double value = prepared.inverted ? 255.0 - grey[at] : grey[at];
            levels[at] = float(std::clamp((value - background) * gain, 0.0, 255.0));
            if (levels[at] > kBackgroundTolerance) {
                top = std::min(top, y);
                bottom = std::max(bottom, y);
                left = std::min(left, x);
                right = std::max(right, x);
            }
        }
    if (bottom < 0) { // nothing but background: keep the whole picture
        top = 0, left = 0, bottom = height - 1, right = width - 1;
    }
    const int boxW = right - left + 1, boxH = bottom - top + 1;
    std::vector<float> box(std::size_t(boxW) * std::size_t(boxH));
    for (int y = 0; y < boxH; ++y)
        std::copy_n(levels.begin() + std::ptrdiff_t(std::size_t(top + y) * std::size_t(width) +
                                                    std::size_t(left)),
                    boxW, box.begin() + std::ptrdiff_t(std::size_t(y) * std::size_t(boxW)));
    const double scale = double(kSide) / double(std::max(boxW, boxH));
    const int fitW = std::clamp(int(std::lround(boxW * scale)), 1, kSide);
    const int fitH = std::clamp(int(std::lround(boxH * scale)), 1, kSide);
    const std::vector<float> fitted =
        resampleAxis(resampleAxis(box, boxH, boxW, fitW, true), fitW, boxH, fitH, false);
    const int offsetX = (kSide - fitW) / 2, offsetY = (kSide - fitH) / 2;
    for (int y = 0; y < fitH; ++y)
        for (int x = 0; x < fitW; ++x)
            prepared.pixels[std::size_t(offsetY + y) * kSide + std::size_t(offsetX + x)] =
                std::uint8_t(std::lround(std::clamp(
                    fitted[std::size_t(y) * std::size_t(fitW) + std::size_t(x)], 0.0f, 255.0f)));
    return prepared;
}

PreparedImage prepareImageBytes(const std::string& bytes, const std::string& name)
{
    if (bytes.empty())
        throw InputError(name + ": the file is empty");
    if (bytes.size() > kMaxImageFileBytes)
        throw InputError(name + ": larger than the " + std::to_string(kMaxImageFileBytes >> 20) +
                         " MB Atelier reads as an image");
    const ImageFileKind kind = imageFileKind(bytes);
    if (kind == ImageFileKind::Other)
        throw InputError(name + ": not a PNG, JPEG or BMP image");
    if (const std::string problem = imageStructureProblem(bytes, kind); !problem.empty())
        throw InputError(name + ": " + problem);
    const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
    const int size = int(bytes.size());
    int width = 0, height = 0, channels = 0;
    if (!stbi_info_from_memory(data, size, &width, &height, &channels))
        throw InputError(name + ": not a readable image (" + stbReason() + ")");
    if (kind == ImageFileKind::Bmp) // a negative height is a legal top-down BMP
        height = height == std::numeric_limits<int>::min() ? 0 : std::abs(height);
    checkDimensions(width, height, name);
    decodeLimit = std::size_t(width) * std::size_t(height) * 16 + (1 << 20);
    stbi_uc* decoded = stbi_load_from_memory(data, size, &width, &height, &channels, 0);
    if (!decoded) {
        const std::string reason = stbReason();
        if (reason == "outofmem" || reason == "Out of memory")
            throw InputError(name + ": the image data unpacks to more than Atelier decodes for "
                                    "its size (a damaged or hostile file)");
        throw InputError(name + ": the image data is corrupt or truncated (" + reason + ")");
    }
    // The header read before and the decoder need not agree on a hostile file (a BMP's
    // height sign, say): the decoded size must pass the same checks.
    try {
        checkDimensions(width, height, name);
    } catch (...) {
        stbi_image_free(decoded);
        throw;
    }
    std::vector<std::uint8_t> grey(std::size_t(width) * std::size_t(height));
    for (std::size_t i = 0; i < grey.size(); ++i) {
        const stbi_uc* p = decoded + i * std::size_t(channels);
        // ITU-R BT.601 luma; transparent pixels are composited on white.
        const double luma = channels >= 3 ? 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2] : p[0];
        const double alpha = channels == 2 ? p[1] / 255.0 : channels == 4 ? p[3] / 255.0 : 1.0;
        grey[i] = std::uint8_t(std::lround(luma * alpha + 255.0 * (1.0 - alpha)));
    }
    stbi_image_free(decoded);
    return prepareGreyImage(grey, width, height);
}

PreparedImage prepareImageFile(const std::string& path)
{
    return prepareImageBytes(readFileBounded(path, kMaxImageFileBytes), path);
}

} // namespace atelier
