// Decoding with stb_image (Debian's libstb-dev, compiled here with only the three formats and
// our size bound), and the 28×28 preparation documented in image_input.h.
#include "image_input.h"

#include "atomic_file.h"
#include "errors.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_NO_STDIO
#define STBI_FAILURE_USERMSG
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

enum class FileKind
{
    Png,
    Jpeg,
    Bmp,
    Other,
};

FileKind kindOf(const std::string& bytes)
{
    if (bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0)
        return FileKind::Png;
    if (bytes.compare(0, 3, "\xFF\xD8\xFF") == 0)
        return FileKind::Jpeg;
    if (bytes.compare(0, 2, "BM") == 0)
        return FileKind::Bmp;
    return FileKind::Other;
}

std::uint32_t littleEndian32(const std::string& bytes, std::size_t at)
{
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i)
        value = (value << 8) | std::uint8_t(bytes[at + std::size_t(i)]);
    return value;
}

// stb_image decodes what it has of a truncated JPEG or BMP and fills the rest; a user must
// hear that the file is cut short instead of seeing a half-grey picture classified.
bool looksTruncated(const std::string& bytes, FileKind kind)
{
    if (kind == FileKind::Jpeg) {
        // Entropy-coded data never holds FF D9 (an FF there is stuffed as FF 00), so the end
        // marker must follow the last start-of-scan marker.
        const std::size_t scan = bytes.rfind("\xFF\xDA");
        return scan == std::string::npos || bytes.find("\xFF\xD9", scan + 2) == std::string::npos;
    }
    if (kind == FileKind::Bmp) {
        if (bytes.size() < 54)
            return true;
        const std::uint32_t declaredSize = littleEndian32(bytes, 2);
        const std::uint32_t pixelOffset = littleEndian32(bytes, 10);
        return (declaredSize != 0 && bytes.size() < declaredSize) || bytes.size() <= pixelOffset;
    }
    return false; // PNG: stb_image checks the compressed stream's end itself
}

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
                const std::size_t source = alongRows
                                               ? std::size_t(line) * std::size_t(inLength) + std::size_t(i)
                                               : std::size_t(i) * std::size_t(lines) + std::size_t(line);
                const std::size_t target = alongRows
                                               ? std::size_t(line) * std::size_t(outLength) + std::size_t(o)
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

} // namespace

const char* imagePreparationSummary()
{
    return "Each image is made greyscale; a light background is negated to white-on-black as "
           "in Fashion-MNIST; the background becomes black, empty margins are cut, and the rest "
           "is fitted into 28×28 (aspect ratio kept) and centred. A 28×28 image on black is "
           "used as it is.";
}

PreparedImage prepareGreyImage(const std::vector<std::uint8_t>& grey, int width, int height)
{
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
    const FileKind kind = kindOf(bytes);
    if (bytes.empty())
        throw InputError(name + ": the file is empty");
    if (kind == FileKind::Other)
        throw InputError(name + ": not a PNG, JPEG or BMP image");
    const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
    const int size = int(std::min<std::size_t>(bytes.size(), kMaxImageFileBytes));
    int width = 0, height = 0, channels = 0;
    if (!stbi_info_from_memory(data, size, &width, &height, &channels))
        throw InputError(name + ": not a readable image (" + stbi_failure_reason() + ")");
    if (width > kMaxImageSide || height > kMaxImageSide ||
        std::int64_t(width) * height > kMaxImagePixels)
        throw InputError(name + ": " + std::to_string(width) + "×" + std::to_string(height) +
                         " pixels is larger than Atelier decodes (at most " +
                         std::to_string(kMaxImageSide) + " pixels a side and " +
                         megapixels(kMaxImagePixels) + ")");
    if (looksTruncated(bytes, kind))
        throw InputError(name + ": the image file is truncated (its data ends too early)");
    stbi_uc* decoded = stbi_load_from_memory(data, size, &width, &height, &channels, 0);
    if (!decoded)
        throw InputError(name + ": the image data is corrupt or truncated (" +
                         stbi_failure_reason() + ")");
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
