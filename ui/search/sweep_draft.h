// The sweep being built in the studio's Search view: a base preset, the parameters to search
// (key paths and their values or a range), the method and the objective. It writes itself as
// a sweep file (docs/sweeps.md) and checks itself with the same reader as atelier-cli, so the
// studio's problems are the file's problems. Owned by the main window; the Search view and
// the forms' "Search over values…" edit it.
#pragma once

#include "core/preset.h"
#include "core/sweep.h"

#include <QObject>
#include <QStringList>
#include <optional>
#include <vector>

namespace atelier::ui {

class SweepDraft : public QObject
{
    Q_OBJECT

public:
    // One parameter of the space: a row of the Search view's table.
    struct Parameter
    {
        QString name;      // the column in trials.csv; a one-path parameter may be its path
        QStringList paths; // preset key paths, the same value put at each ("tied")
        // Values as YAML scalars or flow maps ("0.001", "relu", "{type: adam}"); unused when
        // `range` is set.
        QStringList values;
        // Names of the values, one per value (a mapping of named values), or empty.
        QStringList labels;
        std::optional<SweepRange> range; // a range instead of values (random with trials)

        bool operator==(const Parameter& other) const;
    };

    // Random draws a share of the grid or a number of trials.
    enum class RandomCount
    {
        Fraction,
        Trials,
    };

    explicit SweepDraft(QObject* parent = nullptr);

    QString name() const { return m_name; }
    void setName(const QString& name);
    QString description() const { return m_description; }
    void setDescription(const QString& description);

    // The base preset, and its YAML as the sweep file holds it inline.
    bool hasBase() const { return !m_baseYaml.isEmpty(); }
    const Preset& base() const { return m_base; }
    QString baseYaml() const { return m_baseYaml; }
    // The base written from `preset` (the studio's current preset).
    void setBase(const Preset& preset);
    // The base from a preset file, kept as the file writes it: the sweep then has the same
    // fingerprint as a sweep file naming that preset (`base: path`), so atelier-cli and the
    // studio share its sweep folders. False with `error` when the file is no valid preset.
    bool setBaseFromFile(const QString& path, QString* error = nullptr);

    const std::vector<Parameter>& parameters() const { return m_parameters; }
    int parameterCount() const { return int(m_parameters.size()); }
    // Adds (or at `row`, replaces) a parameter; false with `why` when one of its paths is
    // searched by another parameter already, or its name is taken.
    bool addParameter(const Parameter& parameter, QString* why = nullptr);
    bool setParameter(int row, const Parameter& parameter, QString* why = nullptr);
    void removeParameter(int row);
    // Adds a parameter for one key path with `currentValueYaml` and its neighbours (numbers:
    // half and double; rates ×0.1 and ×10; choices: every choice), for the user to edit.
    bool addParameterFor(const QString& keyPath, const QString& currentValueYaml,
                         QString* why = nullptr);
    // The row whose parameter searches `keyPath` (in any spelling), or -1; `exceptRow` is
    // left out of the search.
    int rowSearching(const QString& keyPath, int exceptRow = -1) const;

    SweepMethod method() const { return m_method; }
    void setMethod(SweepMethod method);
    RandomCount randomCount() const { return m_randomCount; }
    double fraction() const { return m_fraction; }
    void setFraction(double fraction); // also chooses RandomCount::Fraction
    int trials() const { return m_trials; }
    void setTrials(int trials); // also chooses RandomCount::Trials
    quint64 seed() const { return m_seed; }
    void setSeed(quint64 seed);
    SweepObjective objective() const { return m_objective; }
    void setObjective(SweepObjective objective);

    // Where it was opened from or saved to; "" for a new sweep.
    QString filePath() const { return m_filePath; }

    // The sweep file: the base inline, short forms where they fit (docs/sweeps.md).
    QString toYaml() const;
    // parseSweep on toYaml(): the problems are located in that text (filePath() or
    // "sweep.yaml" names it).
    SweepParseResult parse() const;
    // Opens a sweep file into `draft` (its base becomes the base preset, inline); false with
    // `error` (every problem, one a line) when it cannot be read or is not a valid sweep.
    static bool fromFile(const QString& path, SweepDraft& draft, QString* error = nullptr);
    // Fills the draft from a parsed sweep (the trials' names, paths and values as read).
    void setSpec(const SweepSpec& spec, const QString& filePath);
    // Writes toYaml() atomically; false with `error`.
    bool save(const QString& path, QString* error = nullptr);

    // "model.layers[02].units" → "model.layers[2].units": paths compare in one spelling.
    static QString canonicalPath(const QString& keyPath);
    // The type of the layer a "model.layers[K]..." path names in `preset` (K counts from 1),
    // or Invalid for another path or a position past the stack.
    static LayerType layerTypeAt(const Preset& preset, const QString& keyPath);

Q_SIGNALS:
    void changed();

private:
    QString parameterProblem(const Parameter& parameter, int exceptRow) const;
    void setBaseYaml(const Preset& preset, const QString& yaml);

    QString m_name;
    QString m_description;
    Preset m_base;
    QString m_baseYaml;
    std::vector<Parameter> m_parameters;
    SweepMethod m_method = SweepMethod::Grid;
    RandomCount m_randomCount = RandomCount::Fraction;
    double m_fraction = 0.1;
    int m_trials = 20;
    quint64 m_seed = 1;
    SweepObjective m_objective = SweepObjective::ValAccuracy;
    QString m_filePath;
};

} // namespace atelier::ui
