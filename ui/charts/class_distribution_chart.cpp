// Grouped bar chart of images per class, one bar set per split.
#include "ui/charts/class_distribution_chart.h"

#include "ui/charts/chart_style.h"

#include <QCursor>
#include <QEvent>
#include <QLocale>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QChartView>
#include <QtCharts/QHorizontalBarSeries>
#include <QtCharts/QValueAxis>

namespace atelier::ui {

struct ClassDistributionChart::Private
{
    QChart* chart = nullptr;
    QChartView* view = nullptr;
    QHorizontalBarSeries* series = nullptr;
    QBarCategoryAxis* categoryAxis = nullptr;
    QValueAxis* valueAxis = nullptr;
};

ClassDistributionChart::ClassDistributionChart(QWidget* parent)
    : QWidget(parent), d(std::make_unique<Private>())
{
    d->chart = new QChart;
    d->chart->legend()->setAlignment(Qt::AlignTop);
    // Horizontal bars: the class names ("T-shirt/top", "Ankle boot") stay readable.
    d->series = new QHorizontalBarSeries;
    d->chart->addSeries(d->series);
    d->categoryAxis = new QBarCategoryAxis;
    d->categoryAxis->setTitleText(QStringLiteral("Class"));
    d->valueAxis = new QValueAxis;
    d->valueAxis->setTitleText(QStringLiteral("Images"));
    d->valueAxis->setLabelFormat(QStringLiteral("%d"));
    d->chart->addAxis(d->categoryAxis, Qt::AlignLeft);
    d->chart->addAxis(d->valueAxis, Qt::AlignBottom);
    d->series->attachAxis(d->categoryAxis);
    d->series->attachAxis(d->valueAxis);
    d->view = new QChartView(d->chart);
    d->view->setRenderHint(QPainter::Antialiasing);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(d->view);
    applyPalette();
}

ClassDistributionChart::~ClassDistributionChart() = default;

void ClassDistributionChart::setData(const QString& title, const QStringList& categories,
                                     const QList<BarSeriesData>& series)
{
    d->chart->setTitle(title);
    d->series->clear();
    // Qt draws the first category at the bottom; reversed, the list reads top to bottom.
    QStringList reversed = categories;
    std::reverse(reversed.begin(), reversed.end());
    d->categoryAxis->setCategories(reversed);
    qint64 maximum = 0;
    for (int i = 0; i < series.size(); ++i) {
        auto* set = new QBarSet(series[i].name);
        set->setColor(splitColor(i));
        set->setBorderColor(splitColor(i).darker(120));
        for (auto count = series[i].counts.crbegin(); count != series[i].counts.crend(); ++count) {
            set->append(double(*count));
            maximum = std::max(maximum, *count);
        }
        const QString name = series[i].name;
        connect(set, &QBarSet::hovered, this, [this, set, name](bool entered, int index) {
            if (!entered) {
                QToolTip::hideText();
                return;
            }
            const QString category = d->categoryAxis->at(index);
            QToolTip::showText(QCursor::pos(),
                               QStringLiteral("%1 · %2: %3 images")
                                   .arg(name, category, QLocale().toString(qint64(set->at(index)))),
                               this);
        });
        d->series->append(set);
    }
    // Room above the tallest bar, and round tick values.
    d->valueAxis->setRange(0, double(std::max<qint64>(maximum, 1)) * 1.1);
    d->valueAxis->applyNiceNumbers();
}

QList<BarSeriesData> ClassDistributionChart::shownData() const
{
    QList<BarSeriesData> result;
    for (QBarSet* set : d->series->barSets()) {
        BarSeriesData data{set->label(), {}};
        for (int i = set->count() - 1; i >= 0; --i)
            data.counts << qint64(set->at(i));
        result << data;
    }
    return result;
}

QStringList ClassDistributionChart::shownCategories() const
{
    QStringList categories = d->categoryAxis->categories();
    std::reverse(categories.begin(), categories.end());
    return categories;
}

void ClassDistributionChart::renderFigure(QPainter* painter, const QRectF& target)
{
    renderChart(d->chart, painter, target);
}

QString ClassDistributionChart::toCsv() const
{
    const QList<BarSeriesData> data = shownData();
    QString csv = QStringLiteral("class");
    for (const BarSeriesData& series : data)
        csv += ',' + series.name;
    csv += '\n';
    const QStringList categories = shownCategories();
    for (int i = 0; i < categories.size(); ++i) {
        csv += categories[i];
        for (const BarSeriesData& series : data)
            csv += ',' + QString::number(series.counts.value(i));
        csv += '\n';
    }
    return csv;
}

void ClassDistributionChart::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QWidget::changeEvent(event);
}

void ClassDistributionChart::applyPalette()
{
    styleChart(d->chart, palette());
    // The theme resets the series colours; the splits keep theirs.
    const QList<QBarSet*> sets = d->series->barSets();
    for (int i = 0; i < sets.size(); ++i) {
        sets[i]->setColor(splitColor(i));
        sets[i]->setBorderColor(splitColor(i).darker(120));
    }
}

} // namespace atelier::ui
