// The sweep being built in the studio (see sweep_draft.h); writing it as YAML is in
// sweep_draft_yaml.cpp.
#include "ui/search/sweep_draft.h"

#include "core/atomic_file.h"
#include "ui/search/sweep_suggestions.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace atelier::ui {
namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

QString problemLines(const std::vector<PresetProblem>& problems)
{
    QStringList lines;
    for (const PresetProblem& problem : problems)
        lines << qs(problem.toString());
    return lines.join(QLatin1Char('\n'));
}

// A file that YAML reads as more than one plain mapping (document markers, directives)
// cannot be put inline under `base:` as it is.
bool embeddable(const QString& text)
{
    static const QRegularExpression marker(QStringLiteral("^(---|\\.\\.\\.|%)"),
                                           QRegularExpression::MultilineOption);
    return !text.contains(marker) && !text.contains(QLatin1Char('\t'));
}

} // namespace

bool SweepDraft::Parameter::operator==(const Parameter& o) const
{
    const auto sameRange = [](const std::optional<SweepRange>& a,
                              const std::optional<SweepRange>& b) {
        return a.has_value() == b.has_value() &&
               (!a || (a->kind == b->kind && a->low == b->low && a->high == b->high));
    };
    return name == o.name && paths == o.paths && values == o.values && labels == o.labels &&
           sameRange(range, o.range);
}

SweepDraft::SweepDraft(QObject* parent) : QObject(parent) {}

void SweepDraft::setName(const QString& name)
{
    if (name == m_name)
        return;
    m_name = name;
    Q_EMIT changed();
}

void SweepDraft::setDescription(const QString& description)
{
    if (description == m_description)
        return;
    m_description = description;
    Q_EMIT changed();
}

void SweepDraft::setBaseYaml(const Preset& preset, const QString& yaml)
{
    if (yaml == m_baseYaml && preset == m_base)
        return;
    m_base = preset;
    m_baseYaml = yaml;
    Q_EMIT changed();
}

void SweepDraft::setBase(const Preset& preset)
{
    setBaseYaml(preset, qs(presetToYaml(preset)));
}

bool SweepDraft::setBaseFromFile(const QString& path, QString* error)
{
    std::string text;
    try {
        text = readFileBounded(path.toStdString(), kMaxPresetBytes);
    } catch (const InputError& e) {
        if (error)
            *error = qs(e.what());
        return false;
    }
    const PresetParseResult parsed = parsePreset(text, path.toStdString());
    if (!parsed.problems.empty()) {
        if (error)
            *error = problemLines(parsed.problems);
        return false;
    }
    const QString yaml = qs(text);
    setBaseYaml(parsed.preset, embeddable(yaml) ? yaml : qs(presetToYaml(parsed.preset)));
    return true;
}

LayerType SweepDraft::layerTypeAt(const Preset& preset, const QString& keyPath)
{
    static const QRegularExpression layer(QStringLiteral("^model\\.layers\\[(\\d+)\\]"));
    const QRegularExpressionMatch match = layer.match(canonicalPath(keyPath));
    bool number = false;
    const qlonglong position = match.captured(1).toLongLong(&number);
    if (!match.hasMatch() || !number || position < 1 ||
        position > qlonglong(preset.model.layers.size()))
        return LayerType::Invalid;
    return preset.model.layers[std::size_t(position - 1)].type;
}

QString SweepDraft::canonicalPath(const QString& keyPath)
{
    static const QRegularExpression position(QStringLiteral("\\[\\s*0*(\\d+)\\s*\\]"));
    QString path = keyPath.trimmed();
    path.replace(position, QStringLiteral("[\\1]"));
    return path;
}

int SweepDraft::rowSearching(const QString& keyPath, int exceptRow) const
{
    const QString wanted = canonicalPath(keyPath);
    for (int row = 0; row < parameterCount(); ++row) {
        if (row == exceptRow)
            continue;
        for (const QString& path : m_parameters[std::size_t(row)].paths)
            if (canonicalPath(path) == wanted)
                return row;
    }
    return -1;
}

QString SweepDraft::parameterProblem(const Parameter& parameter, int exceptRow) const
{
    if (parameter.paths.isEmpty())
        return QStringLiteral("a parameter needs a key path (training.batch_size)");
    QStringList seen;
    for (const QString& path : parameter.paths) {
        const QString canonical = canonicalPath(path);
        if (canonical.isEmpty())
            return QStringLiteral("a key path is empty");
        if (seen.contains(canonical))
            return QStringLiteral("%1 is listed twice").arg(canonical);
        seen << canonical;
        const int other = rowSearching(canonical, exceptRow);
        if (other >= 0)
            return QStringLiteral("%1 is searched already (row %2, %3): a sweep searches a key "
                                  "once; edit that row's values instead")
                .arg(canonical)
                .arg(other + 1)
                .arg(m_parameters[std::size_t(other)].name);
    }
    const QString name = parameter.name.trimmed();
    for (int row = 0; row < parameterCount(); ++row)
        if (row != exceptRow && m_parameters[std::size_t(row)].name == name)
            return QStringLiteral("a parameter named %1 exists already (row %2)")
                .arg(name)
                .arg(row + 1);
    if (!parameter.labels.isEmpty() && parameter.labels.size() != parameter.values.size())
        return QStringLiteral("%1 names for %2 values")
            .arg(parameter.labels.size())
            .arg(parameter.values.size());
    return {};
}

bool SweepDraft::addParameter(const Parameter& parameter, QString* why)
{
    return setParameter(parameterCount(), parameter, why);
}

bool SweepDraft::setParameter(int row, const Parameter& parameter, QString* why)
{
    if (row < 0 || row > parameterCount())
        return false;
    Parameter cleaned = parameter;
    for (QString& path : cleaned.paths)
        path = canonicalPath(path);
    cleaned.name = cleaned.name.trimmed();
    if (cleaned.name.isEmpty() && !cleaned.paths.isEmpty())
        cleaned.name = cleaned.paths.front();
    const QString problem = parameterProblem(cleaned, row);
    if (!problem.isEmpty()) {
        if (why)
            *why = problem;
        return false;
    }
    if (row == parameterCount())
        m_parameters.push_back(cleaned);
    else if (m_parameters[std::size_t(row)] == cleaned)
        return true;
    else
        m_parameters[std::size_t(row)] = cleaned;
    Q_EMIT changed();
    return true;
}

void SweepDraft::removeParameter(int row)
{
    if (row < 0 || row >= parameterCount())
        return;
    m_parameters.erase(m_parameters.begin() + row);
    Q_EMIT changed();
}

bool SweepDraft::addParameterFor(const QString& keyPath, const QString& currentValueYaml,
                                 QString* why)
{
    const SuggestedParameter suggestion = suggestParameter(
        canonicalPath(keyPath), currentValueYaml.trimmed(), layerTypeAt(m_base, keyPath));
    Parameter parameter;
    parameter.paths = {canonicalPath(keyPath)};
    parameter.values = suggestion.values;
    parameter.labels = suggestion.labels;
    // A name of its own (optimizer) may be taken by another row: number it.
    parameter.name = suggestion.name;
    const auto nameTaken = [this](const QString& name) {
        for (const Parameter& p : m_parameters)
            if (p.name == name)
                return true;
        return false;
    };
    for (int n = 2; nameTaken(parameter.name) && rowSearching(keyPath) < 0; ++n)
        parameter.name = QStringLiteral("%1_%2").arg(suggestion.name).arg(n);
    return addParameter(parameter, why);
}

void SweepDraft::setMethod(SweepMethod method)
{
    if (method == m_method)
        return;
    m_method = method;
    Q_EMIT changed();
}

void SweepDraft::setFraction(double fraction)
{
    if (fraction == m_fraction && m_randomCount == RandomCount::Fraction)
        return;
    m_fraction = fraction;
    m_randomCount = RandomCount::Fraction;
    Q_EMIT changed();
}

void SweepDraft::setTrials(int trials)
{
    if (trials == m_trials && m_randomCount == RandomCount::Trials)
        return;
    m_trials = trials;
    m_randomCount = RandomCount::Trials;
    Q_EMIT changed();
}

void SweepDraft::setSeed(quint64 seed)
{
    if (seed == m_seed)
        return;
    m_seed = seed;
    Q_EMIT changed();
}

void SweepDraft::setObjective(SweepObjective objective)
{
    if (objective == m_objective)
        return;
    m_objective = objective;
    Q_EMIT changed();
}

SweepParseResult SweepDraft::parse() const
{
    const QString fileName = m_filePath.isEmpty() ? QStringLiteral("sweep.yaml") : m_filePath;
    const QString directory = m_filePath.isEmpty() ? QString() : QFileInfo(m_filePath).path();
    return parseSweep(toYaml().toStdString(), fileName.toStdString(), directory.toStdString());
}

bool SweepDraft::fromFile(const QString& path, SweepDraft& draft, QString* error)
{
    std::string text;
    try {
        text = readFileBounded(path.toStdString(), kMaxSweepBytes);
    } catch (const InputError& e) {
        if (error)
            *error = qs(e.what());
        return false;
    }
    const QString directory = QFileInfo(path).path();
    const SweepParseResult result = parseSweep(text, path.toStdString(), directory.toStdString());
    if (!result.problems.empty()) {
        if (error)
            *error = problemLines(result.problems);
        return false;
    }
    draft.setSpec(result.spec, path);
    return true;
}

void SweepDraft::setSpec(const SweepSpec& spec, const QString& filePath)
{
    m_name = qs(spec.name);
    m_description = qs(spec.description);
    m_baseYaml = qs(spec.baseYaml);
    m_base = parsePreset(spec.baseYaml, filePath.toStdString()).preset;
    m_parameters.clear();
    for (const SweepParameter& p : spec.parameters) {
        Parameter parameter;
        parameter.name = qs(p.name);
        for (const std::string& path : p.paths)
            parameter.paths << qs(path);
        bool named = false;
        for (const SweepValue& value : p.values) {
            parameter.values << qs(value.yaml);
            parameter.labels << qs(value.label);
            named = named || value.label != value.yaml;
        }
        if (!named)
            parameter.labels.clear();
        parameter.range = p.range;
        m_parameters.push_back(parameter);
    }
    m_method = spec.method;
    m_randomCount = spec.fraction > 0 ? RandomCount::Fraction : RandomCount::Trials;
    if (spec.fraction > 0)
        m_fraction = spec.fraction;
    if (spec.trials > 0)
        m_trials = spec.trials;
    m_seed = spec.seed;
    m_objective = spec.objective;
    m_filePath = filePath;
    Q_EMIT changed();
}

bool SweepDraft::save(const QString& path, QString* error)
{
    try {
        writeFileAtomically(path.toStdString(), toYaml().toStdString());
    } catch (const InputError& e) {
        if (error)
            *error = qs(e.what());
        return false;
    }
    if (path != m_filePath) {
        m_filePath = path;
        Q_EMIT changed();
    }
    return true;
}

} // namespace atelier::ui
