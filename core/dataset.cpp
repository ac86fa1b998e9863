// Loading and validating the Fashion-MNIST files.
#include "dataset.h"

#include "errors.h"
#include "idx.h"

#include <cstdlib>
#include <sys/stat.h>

namespace atelier {

const char* const kDefaultDataDirectory = "/usr/share/datasets/fashion-mnist";

namespace {

constexpr int kImageSide = 28; // Fashion-MNIST images are 28×28 grey levels

bool isFile(const std::string& path)
{
    struct stat info
    {
    };
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool isDirectory(const std::string& path)
{
    struct stat info
    {
    };
    return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

std::string findFile(const std::string& directory, const std::string& baseName)
{
    for (const std::string& candidate :
         {directory + "/" + baseName + ".gz", directory + "/" + baseName})
        if (isFile(candidate))
            return candidate;
    throw DataError(directory + ": no " + baseName +
                    "[.gz] here; install the Debian package "
                    "dataset-fashion-mnist, or point --data / ATELIER_DATA at a folder with the "
                    "four Fashion-MNIST IDX files");
}

} // namespace

const std::array<std::string, kNumClasses>& fashionMnistClassNames()
{
    static const std::array<std::string, kNumClasses> names = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return names;
}

std::string resolveDataDirectory(const std::string& explicitDirectory)
{
    if (!explicitDirectory.empty())
        return explicitDirectory;
    if (const char* fromEnvironment = std::getenv("ATELIER_DATA");
        fromEnvironment && *fromEnvironment)
        return fromEnvironment;
    return kDefaultDataDirectory;
}

ImageSet loadImageSet(const std::string& imagesPath, const std::string& labelsPath)
{
    IdxArray images = readIdxFile(imagesPath, IdxKind::Images);
    IdxArray labels = readIdxFile(labelsPath, IdxKind::Labels);

    if (images.dims[1] != kImageSide || images.dims[2] != kImageSide)
        throw DataError(imagesPath + ": images are " + std::to_string(images.dims[1]) + "×" +
                        std::to_string(images.dims[2]) + ", expected 28×28");
    if (images.dims[0] != labels.dims[0])
        throw DataError(labelsPath + ": holds " + std::to_string(labels.dims[0]) + " labels but " +
                        imagesPath + " holds " + std::to_string(images.dims[0]) + " images");
    for (std::size_t i = 0; i < labels.data.size(); ++i)
        if (labels.data[i] >= kNumClasses)
            throw DataError(labelsPath + ": label " + std::to_string(labels.data[i]) +
                            " at index " + std::to_string(i) + " is outside 0–9");

    ImageSet set;
    set.count = static_cast<int>(images.dims[0]);
    set.rows = kImageSide;
    set.cols = kImageSide;
    set.pixels = std::move(images.data);
    set.labels = std::move(labels.data);
    return set;
}

void requireDataFiles(const std::string& directory)
{
    if (!isDirectory(directory))
        throw DataError(directory +
                        ": no such folder; install the Debian package "
                        "dataset-fashion-mnist, or point --data / ATELIER_DATA at a folder with "
                        "the four Fashion-MNIST IDX files");
    for (const char* name : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"})
        (void)findFile(directory, name);
}

FashionMnist loadFashionMnist(const std::string& directory)
{
    requireDataFiles(directory);
    FashionMnist data;
    data.directory = directory;
    data.train = loadImageSet(findFile(directory, "train-images-idx3-ubyte"),
                              findFile(directory, "train-labels-idx1-ubyte"));
    data.test = loadImageSet(findFile(directory, "t10k-images-idx3-ubyte"),
                             findFile(directory, "t10k-labels-idx1-ubyte"));
    return data;
}

} // namespace atelier
