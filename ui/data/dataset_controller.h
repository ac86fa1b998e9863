// Loads Fashion-MNIST off the GUI thread and holds it for the views: the raw sets and the
// current train/dev split. Loading failures arrive as a message (the loader's own, which
// names the file) plus a hint on how to fix it.
#pragma once

#include "core/dataset.h"
#include "core/preset.h"
#include "core/split.h"

#include <QFutureWatcher>
#include <QObject>
#include <memory>

namespace atelier::ui {

class DatasetController : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Empty,
        Loading,
        Ready,
        Failed,
    };

    explicit DatasetController(QObject* parent = nullptr);
    ~DatasetController() override;

    // Starts loading `directory` in the background (after a load in flight has finished).
    void load(const QString& directory);
    State state() const { return m_state; }
    QString directory() const { return m_directory; }
    QString errorMessage() const { return m_error; }

    // Valid when Ready.
    std::shared_ptr<const FashionMnist> dataset() const { return m_dataset; }
    const TrainDevSplit& split() const { return m_split; }
    const DataConfig& splitConfig() const { return m_splitConfig; }
    // Re-splits the training images (fast: 60,000 labels); emits splitChanged.
    void setSplitConfig(const DataConfig& config);

    // How to fix a load failure, for people who have not installed the dataset.
    static QString fixHint();

Q_SIGNALS:
    void loadingStarted(const QString& directory);
    void loaded();
    void failed(const QString& message);
    void splitChanged();

private:
    void finishLoad();
    void resplit();

    struct LoadResult
    {
        std::shared_ptr<const FashionMnist> dataset;
        QString error;
    };

    State m_state = State::Empty;
    QString m_directory;
    QString m_error;
    std::shared_ptr<const FashionMnist> m_dataset;
    DataConfig m_splitConfig;
    TrainDevSplit m_split;
    QFutureWatcher<LoadResult> m_watcher;
};

} // namespace atelier::ui
