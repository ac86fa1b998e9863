// Pictures a user brings ("try it on your own image"): decoding PNG, JPEG and BMP files of any
// size and colour within documented bounds, and turning them into the 28×28 white-on-black
// greyscale image a Fashion-MNIST model expects. The CLI's `predict` and the studio's
// Try Images panel both come here, so they see the same picture.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace atelier {

// Bounds that keep a hostile or accidental file from taking the machine's memory: the file
// itself, each side, and the decoded pixel count (50 MP is beyond phone cameras' photos).
constexpr std::uint64_t kMaxImageFileBytes = 64ull << 20;
constexpr int kMaxImageSide = 16384;
constexpr std::int64_t kMaxImagePixels = 50'000'000;

constexpr int kModelImageSide = 28;

struct PreparedImage
{
    int sourceWidth = 0, sourceHeight = 0;
    bool inverted = false;  // the background was light, so the picture was negated
    bool unchanged = false; // already 28×28 on black: used as it is
    std::array<std::uint8_t, kModelImageSide * kModelImageSide> pixels{}; // row-major
};

// The steps, in the words the CLI's help and the studio show.
const char* imagePreparationSummary();

// Greyscale pixels (row-major, width × height) to the model's 28×28:
//  1. an image that is already 28×28 with a dark border is used unchanged (a Fashion-MNIST
//     image gives exactly the test set's pixels);
//  2. the background is the mean of the one-pixel border; when it is light (above 127) the
//     picture is negated, as Fashion-MNIST garments are light on black;
//  3. the background level becomes black (values rescaled so it maps to 0, white stays 255);
//  4. the margins that are background (within 16 levels after step 3) are cut away;
//  5. the rest is fitted, keeping its aspect ratio, into 28×28 by area averaging, and centred.
// Throws std::invalid_argument when `grey` does not hold width × height (≥ 1) pixels.
PreparedImage prepareGreyImage(const std::vector<std::uint8_t>& grey, int width, int height);

// Decodes `bytes` (PNG, JPEG or BMP; colour and alpha allowed, alpha composited on white) and
// prepares it. `name` names the file in errors. Throws InputError: empty, over
// kMaxImageFileBytes, not an image or another format, truncated or corrupt, unpacking to more
// than its size allows, or larger than the bounds above (saying the bound).
PreparedImage prepareImageBytes(const std::string& bytes, const std::string& name);

// Reads the file with the same bounds: a folder, a missing or unreadable file, a file over
// kMaxImageFileBytes get InputError naming the path.
PreparedImage prepareImageFile(const std::string& path);

} // namespace atelier
