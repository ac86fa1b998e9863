// The studio's File ▸ Export Report: runs `atelier-cli report FOLDERS --out FILE` in the
// background, so the studio writes exactly the file the CLI writes (drawn in the light
// palette whatever the studio's theme, for printing) and stays responsive meanwhile.
#pragma once

#include <QObject>
#include <QStringList>

class QProcess;

namespace atelier::ui {

class ReportExport : public QObject
{
    Q_OBJECT

public:
    explicit ReportExport(QObject* parent = nullptr);
    ~ReportExport() override;

    // Starts writing the report of `folders` (one run, several, or one sweep folder) to
    // `path` (.html or .pdf); `dataDirectory` ("" for the default) gives the example images.
    // False with the reason when a report is being written already or the suffix is wrong.
    bool start(const QStringList& folders, const QString& path, const QString& dataDirectory,
               QString* whyNot);
    bool isRunning() const;

Q_SIGNALS:
    // `message`: what went wrong in the CLI's words, or on success its note (empty, or that
    // the example images were left out for want of the dataset).
    void finished(bool ok, const QString& path, const QString& message);

private:
    QProcess* m_process = nullptr;
    QString m_path;
};

} // namespace atelier::ui
