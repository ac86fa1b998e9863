// Fashion-MNIST in memory: uint8 images and labels as read from the IDX files, kept once;
// splits and normalization refer to them by index instead of copying.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace atelier {

// Fashion-MNIST has ten classes; the label files must stay within 0..kNumClasses-1.
constexpr int kNumClasses = 10;

const std::array<std::string, kNumClasses>& fashionMnistClassNames();

struct ImageSet
{
    int count = 0;
    int rows = 0;
    int cols = 0;
    std::vector<std::uint8_t> pixels; // count × rows × cols, row-major
    std::vector<std::uint8_t> labels; // count values in 0..kNumClasses-1

    int pixelsPerImage() const { return rows * cols; }
    const std::uint8_t* image(int index) const
    {
        return pixels.data() + std::size_t(index) * std::size_t(pixelsPerImage());
    }
};

struct FashionMnist
{
    std::string directory;
    ImageSet train; // the 60,000 training images (split later into train/dev)
    ImageSet test;  // the 10,000 test images, never split
};

// Where the dataset ships on Debian (package dataset-fashion-mnist).
extern const char* const kDefaultDataDirectory;

// Picks the data folder: `explicitDirectory` when not empty, else $ATELIER_DATA, else the
// Debian package's folder.
std::string resolveDataDirectory(const std::string& explicitDirectory);

// Loads one images/labels pair and checks that they agree (count, label range, 28×28).
ImageSet loadImageSet(const std::string& imagesPath, const std::string& labelsPath);

// Throws DataError unless `directory` holds the four files (gzipped or raw); their content is
// not read. For commands that start other processes which load the data themselves.
void requireDataFiles(const std::string& directory);

// Loads the four files from `directory`; each may be gzipped (".gz") or raw.
FashionMnist loadFashionMnist(const std::string& directory);

} // namespace atelier
