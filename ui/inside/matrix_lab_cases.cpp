// The matrix experiment's cases in words (see matrix_lab_cases.h).
#include "ui/inside/matrix_lab_cases.h"

#include <QStringList>
#include <cmath>

namespace atelier::ui {
namespace {

// Ends of a uniform range and norms: short, and exact for the values people type.
QString shortNumber(double value)
{
    return QString::number(value, 'g', 6);
}

QString activationName(MatrixActivation activation)
{
    switch (activation) {
    case MatrixActivation::Sigmoid:
        return QStringLiteral("sigmoid");
    case MatrixActivation::Relu:
        return QStringLiteral("ReLU");
    case MatrixActivation::None:
        break;
    }
    return {};
}

} // namespace

QString matrixInitName(const MatrixInit& init)
{
    switch (init.kind) {
    case MatrixInitKind::He:
        return QStringLiteral("He");
    case MatrixInitKind::Glorot:
        return QStringLiteral("Glorot");
    case MatrixInitKind::Uniform:
        break;
    }
    return QStringLiteral("uniform [%1, %2]").arg(shortNumber(init.low), shortNumber(init.high));
}

QString matrixCaseName(const MatrixLabOptions& options)
{
    const QString activation = activationName(options.activation);
    const QString init = matrixInitName(options.init);
    return activation.isEmpty() ? init : init + QStringLiteral(" + ") + activation;
}

QString matrixCaseLabel(const MatrixLabOptions& options)
{
    return QStringLiteral("%1, %2×%2").arg(matrixCaseName(options)).arg(options.size);
}

std::vector<MatrixLabOptions> defaultMatrixCases()
{
    MatrixLabOptions vanishes;
    vanishes.init = {MatrixInitKind::Uniform, 0.0, 0.1};
    MatrixLabOptions explodes = vanishes;
    explodes.init = {MatrixInitKind::Uniform, 0.0, 10.0};
    MatrixLabOptions stays = vanishes;
    stays.init = {MatrixInitKind::He, 0.0, 0.0};
    stays.activation = MatrixActivation::Relu;
    stays.size = 64;
    return {vanishes, explodes, stays};
}

QString matrixVerdict(const MatrixLabResult& result)
{
    if (result.depths.empty())
        return {};
    if (result.firstAllZero > 0)
        return QStringLiteral("every entry is 0 from depth %1 (vanished)").arg(result.firstAllZero);
    QStringList broken;
    if (result.firstInf > 0)
        broken << QStringLiteral("inf from depth %1").arg(result.firstInf);
    if (result.firstNan > 0)
        broken << QStringLiteral("NaN from depth %1").arg(result.firstNan);
    if (!broken.isEmpty())
        return broken.join(QStringLiteral(", ")) + QStringLiteral(" (exploded)");
    const MatrixDepthStats& last = result.depths.back();
    return QStringLiteral("finite at depth %1, norm %2")
        .arg(last.depth)
        .arg(QString::number(last.norm, 'g', 3));
}

QString matrixCaseProblem(int caseNumber, const MatrixLabOptions& options)
{
    const MatrixInit& init = options.init;
    if (init.kind != MatrixInitKind::Uniform)
        return {};
    if (!std::isfinite(init.low) || !std::isfinite(init.high))
        return QStringLiteral("Case %1 (%2): both ends of the range must be finite numbers.")
            .arg(caseNumber)
            .arg(matrixCaseName(options));
    if (init.low > init.high)
        return QStringLiteral("Case %1 (%2): the low end %3 is above the high end %4. Make low "
                              "≤ high to compute it.")
            .arg(caseNumber)
            .arg(matrixCaseName(options), shortNumber(init.low), shortNumber(init.high));
    return {};
}

} // namespace atelier::ui
