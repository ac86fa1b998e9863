// The preset reader's limits: alias bombs, oversized files and values, layer counts and
// names, and messages that stay short; none of them refuses what the studio itself saves.
// Run folders refuse names that would leave their base folder.
#include "core/errors.h"
#include "core/preset.h"
#include "core/run_folder.h"
#include "preset_test_helpers.h"

#include <QDir>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <limits>

using namespace atelier;
using atelier::test::kValid;
using atelier::test::problemsOf;

class TestPresetLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Finding 4 of issue 9: aliases repeat one value thousands of times; each problem once
    // copied the whole value. A few kilobytes must give a few short messages.
    void aliasBombsGiveFewShortProblems_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expectedFirst");
        const QByteArray longValue(4000, 'A');
        QByteArray scalarAliases =
            "description: &s \"" + longValue + "\"\nmodel:\n  input: [784]\n  layers: [*s";
        for (int i = 1; i < 1000; ++i)
            scalarAliases += ", *s";
        scalarAliases += "]\n";
        QTest::newRow("a long scalar as 1,000 layers")
            << scalarAliases << "p.yaml:1:14 model.layers[1]: expected a mapping";

        QByteArray keys;
        for (int i = 0; i < 200; ++i)
            keys += ", k" + QByteArray::number(i) + ": 1";
        QByteArray mappingAliases =
            "x: &m {type: dense, units: 1" + keys + "}\nmodel:\n  input: [784]\n  layers: [*m";
        for (int i = 1; i < 1000; ++i)
            mappingAliases += ", *m";
        mappingAliases += "]\n";
        QTest::newRow("200 unknown keys as 1,000 layers")
            << mappingAliases << "p.yaml:1:1: more than 100,000 values";

        QByteArray nested = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
        for (int level = 1; level <= 9; ++level) {
            nested += "a" + QByteArray::number(level) + ": &a" + QByteArray::number(level) + " [";
            for (int i = 0; i < 10; ++i)
                nested += (i ? ", *a" : "*a") + QByteArray::number(level - 1);
            nested += "]\n";
        }
        nested += "model:\n  layers: *a9\n"; // ten billion values when walked
        QTest::newRow("nested aliases") << nested << "p.yaml:1:1: more than 100,000 values";

        QByteArray selfAlias = "model: &m {layers: [*m]}\n";
        QTest::newRow("alias into itself") << selfAlias << "";
    }

    void aliasBombsGiveFewShortProblems()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expectedFirst);
        QVERIFY2(std::size_t(yaml.size()) < 16 * 1024, "the bomb should be a few KB");
        const QStringList problems = problemsOf(yaml.toStdString());
        QVERIFY(!problems.isEmpty());
        QVERIFY2(std::size_t(problems.size()) <= kMaxPresetProblems + 1,
                 qPrintable(QString::number(problems.size())));
        for (const QString& problem : problems)
            QVERIFY2(problem.size() <= 300, qPrintable(problem.left(400)));
        if (!expectedFirst.isEmpty())
            QVERIFY2(problems.front().startsWith(expectedFirst), qPrintable(problems.front()));
        if (std::size_t(problems.size()) == kMaxPresetProblems + 1)
            QVERIFY2(problems.back().contains(QRegularExpression("^p.yaml: … and [0-9,]+ more "
                                                                 "problems$")),
                     qPrintable(problems.back()));
    }

    void longAndControlValuesAreShortenedInMessages()
    {
        const std::string longWord(1000, 'x'); // YAML allows keys up to 1,024 characters
        QStringList problems =
            problemsOf("model:\n  input: [784]\n  layers:\n    - {type: " + longWord + "}\n" +
                       longWord + ": 1\n");
        QCOMPARE(problems.size(), 2);
        for (const QString& problem : problems) {
            QVERIFY2(problem.size() < 300, qPrintable(problem));
            QVERIFY2(problem.contains(QString(60, 'x') + "…'"), qPrintable(problem));
        }
        problems = problemsOf(std::string(kValid) + "training:\n  device: \"a\\nb\\u0000c\"\n");
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.front().endsWith("got 'a\\nb\\x00c'"), qPrintable(problems.front()));
    }

    void oversizedPresetsAreRefusedUnread()
    {
        std::string yaml = kValid;
        yaml += "description: \"" + std::string(kMaxPresetBytes, 'd') + "\"\n";
        const QStringList problems = problemsOf(yaml);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.front().startsWith("p.yaml: too large for a preset"),
                 qPrintable(problems.front()));
        QVERIFY(problems.front().contains("at most 524,288"));

        QTemporaryDir dir;
        const QString path = dir.filePath("big.yaml");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString(yaml));
        file.close();
        try {
            loadPreset(path.toStdString());
            QFAIL("no error");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains("too large"), e.what());
        }
    }

    // The limits must never refuse what the studio saves: the largest preset the schema
    // allows, written by presetToYaml, loads back equal.
    void theLargestPresetFitsTheLimits()
    {
        Preset preset;
        preset.name = std::string(kMaxPresetNameBytes, 'n');
        preset.description = std::string(kMaxPresetDescriptionBytes, 'd');
        for (int i = 0; i < kMaxLayers; ++i) {
            LayerSpec layer = layerDefaults(LayerType::Conv2D);
            layer.name = std::string(kMaxLayerNameBytes - 4, 'l') + std::to_string(1000 + i);
            layer.filters = kMaxFilters;
            layer.kernel = layer.stride = layer.dilation = {kMaxWindow, kMaxWindow - 1};
            layer.padding = Padding::Same;
            layer.activation = ActivationKind::LeakyRelu;
            layer.kernelInit = Initializer::uniform(-0.12345678901234567, 1.2345678901234567e-300);
            layer.biasInit = Initializer::normal(-0.12345678901234567, 1.2345678901234567e-300);
            layer.useBias = false;
            preset.model.layers.push_back(layer);
        }
        preset.training.seed = std::uint64_t(std::numeric_limits<std::int64_t>::max());
        const std::string yaml = presetToYaml(preset);
        QVERIFY2(yaml.size() <= kMaxPresetBytes, qPrintable(QString::number(yaml.size())));
        const PresetParseResult again = parsePreset(yaml, "largest.yaml");
        QVERIFY2(again.problems.empty(), qPrintable(problemsOf(yaml).join("\n")));
        QVERIFY(again.preset == preset);
    }

    void layerCountIsBounded()
    {
        std::string yaml = "model:\n  input: [784]\n  layers:\n";
        for (int i = 0; i <= kMaxLayers; ++i)
            yaml += "    - {type: dropout, rate: 0.1}\n";
        const QStringList problems = problemsOf(yaml);
        QCOMPARE(problems, QStringList{"p.yaml:4:5 model.layers: 1,001 layers; at most 1,000 "
                                       "are allowed"});
    }

    void presetNames_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QString>("problem"); // empty: accepted
        QTest::newRow("plain") << QByteArray("cnn_medium") << "";
        QTest::newRow("spaces, dots, dashes") << QByteArray("\"MLP v2.1 - wide\"") << "";
        QTest::newRow("longest") << QByteArray(int(kMaxPresetNameBytes), 'n') << "";
        QTest::newRow("empty") << QByteArray("\"\"") << "";
        QTest::newRow("parent folders") << QByteArray("\"../../escaped\"") << "starts with '.'";
        QTest::newRow("slash") << QByteArray("a/b") << "may hold only letters";
        QTest::newRow("NUL") << QByteArray("\"a\\0b\"") << "may hold only letters";
        QTest::newRow("newline") << QByteArray("\"a\\nrun: /etc\"") << "may hold only letters";
        QTest::newRow("hidden") << QByteArray(".hidden") << "starts with '.'";
        QTest::newRow("leading space") << QByteArray("\" a\"") << "starts or ends with a space";
        QTest::newRow("too long") << QByteArray(int(kMaxPresetNameBytes) + 1, 'n')
                                  << "is too long (65 bytes; at most 64)";
        QTest::newRow("not ASCII") << QByteArray("naïve") << "may hold only letters";
        QTest::newRow("not text") << QByteArray("[a, b]") << "expected text, got a list";
    }

    void presetNames()
    {
        QFETCH(QByteArray, name);
        QFETCH(QString, problem);
        const std::string yaml = "name: " + name.toStdString() + "\n" + (kValid + 11);
        const QStringList problems = problemsOf(yaml);
        if (problem.isEmpty()) {
            QVERIFY2(problems.isEmpty(), qPrintable(problems.join("\n")));
            return;
        }
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.front().startsWith("p.yaml:1:7 name: "), qPrintable(problems.front()));
        QVERIFY2(problems.front().contains(problem), qPrintable(problems.front()));
        QVERIFY(!problems.front().contains('\n'));
    }

    void descriptionIsBounded()
    {
        const std::string yaml = std::string(kValid) + "description: " +
                                 std::string(kMaxPresetDescriptionBytes + 1, 'd') + "\n";
        QCOMPARE(problemsOf(yaml), QStringList{"p.yaml:7:14 description: is too long (16,385 "
                                               "bytes; at most 16,384)"});
    }

    void layerNamesAreBounded()
    {
        const std::string layers = "model:\n  input: [784]\n  layers:\n";
        QStringList problems = problemsOf(layers + "    - {type: flatten, name: " +
                                          std::string(kMaxLayerNameBytes + 1, 'n') + "}\n");
        QCOMPARE(problems, QStringList{"p.yaml:4:29 model.layers[1].name: is too long (65 bytes; "
                                       "at most 64)"});
        problems = problemsOf(layers + "    - {type: flatten, name: \"a\\tb\"}\n");
        QCOMPARE(
            problems,
            QStringList{"p.yaml:4:29 model.layers[1].name: 'a\\tb' holds a control character"});
    }

    void runFolderRefusesNamesThatLeaveIt()
    {
        QTemporaryDir dir;
        const std::string base = dir.path().toStdString();
        for (const std::string& name : {std::string("../escaped"), std::string("a/b"),
                                        std::string("a\nb"), std::string("a\0b", 3)})
            QVERIFY_EXCEPTION_THROWN(createRunFolder(base, name), InputError);
        QVERIFY_EXCEPTION_THROWN(createRunFolder("", "fine"), InputError);
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
                 QStringList{});
        QVERIFY(!QFileInfo::exists(dir.filePath("../escaped")));
        const QString folder = QString::fromStdString(createRunFolder(base, "MLP v2.1"));
        QCOMPARE(QFileInfo(folder).dir().absolutePath(), QDir(dir.path()).absolutePath());
        QVERIFY(QFileInfo(folder).fileName().startsWith("MLP v2.1-"));
    }
};

QTEST_GUILESS_MAIN(TestPresetLimits)
#include "tst_preset_limits.moc"
