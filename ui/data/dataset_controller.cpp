// Loads Fashion-MNIST off the GUI thread and holds it for the views.
#include "ui/data/dataset_controller.h"

#include "ui/widgets/layer_text.h"

#include <QtConcurrent/QtConcurrentRun>

namespace atelier::ui {

DatasetController::DatasetController(QObject* parent) : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcher<LoadResult>::finished, this,
            &DatasetController::finishLoad);
}

DatasetController::~DatasetController()
{
    // The loader cannot be interrupted; it holds no pointer to this object, only its result.
    m_watcher.waitForFinished();
}

void DatasetController::load(const QString& directory)
{
    m_watcher.waitForFinished();
    m_state = State::Loading;
    m_directory = directory;
    m_error.clear();
    Q_EMIT loadingStarted(directory);
    const std::string path = directory.toStdString();
    m_watcher.setFuture(QtConcurrent::run([path]() -> LoadResult {
        try {
            return {std::make_shared<const FashionMnist>(loadFashionMnist(path)), {}};
        } catch (const std::exception& error) {
            return {nullptr, QString::fromUtf8(error.what())};
        }
    }));
}

void DatasetController::finishLoad()
{
    const LoadResult result = m_watcher.result();
    if (!result.dataset) {
        m_state = State::Failed;
        m_error = result.error;
        m_dataset.reset();
        Q_EMIT failed(m_error);
        return;
    }
    m_dataset = result.dataset;
    m_state = State::Ready;
    resplit();
    Q_EMIT loaded();
}

void DatasetController::setSplitConfig(const DataConfig& config)
{
    const bool changed = config.devFraction != m_splitConfig.devFraction ||
                         config.splitSeed != m_splitConfig.splitSeed;
    m_splitConfig = config;
    if (changed && m_state == State::Ready) {
        resplit();
        Q_EMIT splitChanged();
    }
}

void DatasetController::resplit()
{
    m_split = stratifiedSplit(m_dataset->train.labels, m_splitConfig.devFraction,
                              m_splitConfig.splitSeed);
}

QString DatasetController::fixHint()
{
    return QStringLiteral(
               "Install the dataset with <code>sudo apt install dataset-fashion-mnist</code> "
               "(it goes to %1), or choose a folder that holds train-images-idx3-ubyte.gz, "
               "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and "
               "t10k-labels-idx1-ubyte.gz.")
        .arg(qs(kDefaultDataDirectory));
}

} // namespace atelier::ui
