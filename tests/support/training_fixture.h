// Shared by the training suites: the real Fashion-MNIST, loaded once, and shipped presets
// adjusted for short runs.
#pragma once

#include "core/dataset.h"
#include "core/preset.h"

#include <QString>
#include <memory>

namespace atelier::test {

// The installed dataset, or nullptr when it is missing (the suite then skips).
const FashionMnist* realDataset();
// The same, for APIs that take shared ownership (the fixture keeps owning it); null if missing.
std::shared_ptr<const FashionMnist> sharedRealDataset();

Preset shippedPreset(const QString& name);

} // namespace atelier::test
