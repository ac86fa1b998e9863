// Every figure of a search, written into one folder.
#include "ui/export/search_figures.h"

#include "core/errors.h"
#include "ui/search/parallel_coordinates_chart.h"
#include "ui/search/parameter_effects_chart.h"
#include "ui/search/sweep_monitor.h"

#include <QDir>

namespace atelier::ui {

QStringList exportSearchFigures(const SweepMonitor& search, ParallelCoordinatesChart& parallel,
                                ParameterEffectsChart& effects, const QString& directory,
                                const FigureOptions& options)
{
    if (!QDir().mkpath(directory))
        throw InputError("cannot create the folder " + directory.toStdString());
    const QDir dir(directory);
    const QString name =
        QString::fromStdString(search.isOpen() ? search.folder().spec.name : std::string("search"));
    const QString suffix = QLatin1Char('.') + figureSuffix(options.format);
    QStringList written;
    auto figure = [&](const QString& file, const QString& title, const QSize& size,
                      const FigurePainter& paint, const QString& csv) {
        const QString path = dir.filePath(file + suffix);
        writeFigure(path, options.format, size, title, paint);
        written << path;
        const QString csvPath = dir.filePath(file + QStringLiteral(".csv"));
        writeCsv(csvPath, csv);
        written << csvPath;
    };
    // Wider than a run's figures: one axis or panel per parameter.
    const QSize wide(std::max(options.size.width(), 1600), std::max(options.size.height(), 900));
    figure(
        QStringLiteral("parallel_coordinates"), name + QStringLiteral(": trials by parameter"),
        wide, [&](QPainter& p, const QRectF& area) { parallel.renderFigure(&p, area); },
        parallel.toCsv());
    figure(
        QStringLiteral("parameter_effects"), name + QStringLiteral(": objective by parameter"),
        wide, [&](QPainter& p, const QRectF& area) { effects.renderFigure(&p, area); },
        effects.toCsv());
    if (search.isOpen()) {
        const QString path = dir.filePath(QStringLiteral("trials.csv"));
        writeCsv(path, QString::fromStdString(
                           trialsCsv(search.folder().spec, search.plan(), search.records())));
        written << path;
    }
    return written;
}

QStringList exportSearchFigures(const QString& sweepFolder, const QString& directory,
                                const FigureOptions& options)
{
    SweepMonitor search;
    QString error;
    if (!search.open(sweepFolder, &error))
        throw InputError(error.toStdString());
    ParallelCoordinatesChart parallel;
    ParameterEffectsChart effects;
    parallel.setTable(search.table());
    effects.setTable(search.table());
    return exportSearchFigures(search, parallel, effects, directory, options);
}

} // namespace atelier::ui
