// Loading the dataset once per test process.
#include "support/training_fixture.h"

#include <QFileInfo>

namespace atelier::test {

const FashionMnist* realDataset()
{
    static std::unique_ptr<FashionMnist> data = [] {
        const std::string directory = resolveDataDirectory("");
        if (!QFileInfo::exists(QString::fromStdString(directory)))
            return std::unique_ptr<FashionMnist>();
        return std::make_unique<FashionMnist>(loadFashionMnist(directory));
    }();
    return data.get();
}

std::shared_ptr<const FashionMnist> sharedRealDataset()
{
    const FashionMnist* data = realDataset();
    if (!data)
        return nullptr;
    return std::shared_ptr<const FashionMnist>(data, [](const FashionMnist*) {});
}

Preset shippedPreset(const QString& name)
{
    return loadPreset(ATELIER_PRESETS_DIR "/" + name.toStdString() + ".yaml");
}

} // namespace atelier::test
