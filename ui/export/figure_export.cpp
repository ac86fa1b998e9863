// Writing figures to PNG, SVG or PDF, and their data to CSV.
#include "ui/export/figure_export.h"

#include "core/atomic_file.h"
#include "core/errors.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QImage>
#include <QMessageBox>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSpinBox>
#include <QSvgGenerator>

namespace atelier::ui {
namespace {

// Screen pixels per inch: a figure of W×H pixels is W×H at 96 dpi in the PDF.
constexpr int kDotsPerInch = 96;

// Asks for a file and a size; returns false when cancelled.
bool askExport(QWidget* parent, const QString& baseName, QSize& size, QString& path)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(QStringLiteral("Export Figure"));
    auto* form = new QFormLayout(&dialog);
    auto* width = new QSpinBox;
    auto* height = new QSpinBox;
    for (QSpinBox* box : {width, height}) {
        box->setRange(200, 8000);
        box->setSuffix(QStringLiteral(" px"));
    }
    width->setValue(size.width());
    height->setValue(size.height());
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(width);
    sizeRow->addWidget(height);
    form->addRow(QStringLiteral("Size (width × height)"), sizeRow);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    size = QSize(width->value(), height->value());
    path = QFileDialog::getSaveFileName(
        parent, QStringLiteral("Export Figure"),
        QDir::home().filePath(baseName + QStringLiteral(".png")),
        QStringLiteral("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    return !path.isEmpty();
}

} // namespace

void paintOn(QPainter& painter, const QSize& size, const FigurePainter& paint)
{
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    // Every figure starts from the same state, whatever the painter drew before (a report
    // page's italic caption): the application font, a text-coloured pen, no brush.
    painter.setFont(QApplication::font());
    painter.setPen(QApplication::palette().color(QPalette::Text));
    painter.setBrush(Qt::NoBrush);
    const QRectF area(0, 0, size.width(), size.height());
    painter.fillRect(area, QApplication::palette().color(QPalette::Base));
    paint(painter, area);
}

std::optional<FigureFormat> figureFormatFromName(const QString& name)
{
    const QString lower = name.toLower();
    if (lower == QStringLiteral("png"))
        return FigureFormat::Png;
    if (lower == QStringLiteral("svg"))
        return FigureFormat::Svg;
    if (lower == QStringLiteral("pdf"))
        return FigureFormat::Pdf;
    return std::nullopt;
}

QString figureSuffix(FigureFormat format)
{
    switch (format) {
    case FigureFormat::Png:
        return QStringLiteral("png");
    case FigureFormat::Svg:
        return QStringLiteral("svg");
    case FigureFormat::Pdf:
        return QStringLiteral("pdf");
    }
    return {};
}

void writeFigure(const QString& path, FigureFormat format, const QSize& size, const QString& title,
                 const FigurePainter& paint)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw InputError(path.toStdString() +
                         ": cannot write: " + file.errorString().toStdString());
    switch (format) {
    case FigureFormat::Png: {
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        image.setDotsPerMeterX(int(kDotsPerInch / 0.0254));
        image.setDotsPerMeterY(int(kDotsPerInch / 0.0254));
        {
            QPainter painter(&image);
            paintOn(painter, size, paint);
        }
        if (!image.save(&file, "PNG"))
            throw InputError(path.toStdString() + ": cannot encode the PNG image");
        break;
    }
    case FigureFormat::Svg: {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setResolution(kDotsPerInch);
        svg.setTitle(title);
        svg.setDescription(QStringLiteral("Exported from Atelier"));
        QPainter painter(&svg);
        paintOn(painter, size, paint);
        break;
    }
    case FigureFormat::Pdf: {
        QPdfWriter pdf(&file);
        pdf.setTitle(title);
        pdf.setCreator(QStringLiteral("Atelier"));
        pdf.setResolution(kDotsPerInch);
        pdf.setPageSize(QPageSize(QSizeF(size) * 72.0 / kDotsPerInch, QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        QPainter painter(&pdf);
        paintOn(painter, size, paint);
        break;
    }
    }
    if (!file.commit())
        throw InputError(path.toStdString() +
                         ": cannot write: " + file.errorString().toStdString());
}

void writeCsv(const QString& path, const QString& csv)
{
    writeFileAtomically(path.toStdString(), csv.toStdString());
}

void addExportActions(QWidget* figure, const QString& baseName, const QSize& defaultSize,
                      const FigurePainter& paint, const std::function<QString()>& csv)
{
    figure->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* exportFigure = new QAction(QStringLiteral("Export Figure…"), figure);
    QObject::connect(exportFigure, &QAction::triggered, figure, [=] {
        QSize size = defaultSize;
        QString path;
        if (!askExport(figure, baseName, size, path))
            return;
        auto format = figureFormatFromName(QFileInfo(path).suffix());
        if (!format) {
            format = FigureFormat::Png;
            path += QStringLiteral(".png");
        }
        try {
            writeFigure(path, *format, size, baseName, paint);
        } catch (const std::exception& error) {
            QMessageBox::warning(figure, QStringLiteral("Export Figure"), error.what());
        }
    });
    figure->addAction(exportFigure);
    if (!csv)
        return;
    auto* exportData = new QAction(QStringLiteral("Export Data as CSV…"), figure);
    QObject::connect(exportData, &QAction::triggered, figure, [=] {
        const QString path =
            QFileDialog::getSaveFileName(figure, QStringLiteral("Export Data"),
                                         QDir::home().filePath(baseName + QStringLiteral(".csv")),
                                         QStringLiteral("CSV (*.csv)"));
        if (path.isEmpty())
            return;
        try {
            writeCsv(path, csv());
        } catch (const std::exception& error) {
            QMessageBox::warning(figure, QStringLiteral("Export Data"), error.what());
        }
    });
    figure->addAction(exportData);
}

} // namespace atelier::ui
