// SPDX-License-Identifier: MIT
// StateStore: round trip of every value type, atomic saves that leave the old file intact when
// they fail, corrupt files and files of a wrong or newer version set aside, missing files, and
// what a device makes of values of the wrong type.
#include "testsupport.h"
#include "tomlsamples.h"

#include <device/device.h>
#include <state/statestore.h>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <bit>
#include <cmath>
#include <csignal>
#include <limits>
#include <stdexcept>

#include <sys/resource.h>
#include <unistd.h>

using namespace Benchtop;

namespace {

const QString kKind = QStringLiteral("sim-motor");
const QString kDevice = QStringLiteral("stage");

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

QStringList entries(const QString &directory)
{
    return QDir(directory).entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name);
}

/// The first line of every file save() writes.
const QByteArray kVersionLine = QByteArray(StateStore::kVersionKey) + " = 1\n";

/// What save() throws, or "" when it does not.
QString saveError(const StateStore &store, const QVariantMap &state)
{
    try {
        store.save(kKind, kDevice, state);
    } catch (const std::runtime_error &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

/// Restores a resource limit and a signal disposition when the test ends, pass or fail.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        ::getrlimit(RLIMIT_FSIZE, &m_saved);
        // Going over the limit raises SIGXFSZ, which would kill the test; ignored, the write
        // fails with EFBIG instead, which is what is under test.
        m_savedHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit = m_saved;
        limit.rlim_cur = bytes;
        m_ok = ::setrlimit(RLIMIT_FSIZE, &limit) == 0;
    }
    ~FileSizeLimit()
    {
        ::setrlimit(RLIMIT_FSIZE, &m_saved);
        std::signal(SIGXFSZ, m_savedHandler);
    }
    FileSizeLimit(const FileSizeLimit &) = delete;
    FileSizeLimit &operator=(const FileSizeLimit &) = delete;
    bool ok() const { return m_ok; }

private:
    rlimit m_saved{};
    void (*m_savedHandler)(int) = nullptr;
    bool m_ok = false;
};

/// What a stage saves, position and destination (0 until restored), with Device's own
/// restoreState: how a saved value reaches a device.
class SavedStage : public Device {
    Q_OBJECT
public:
    SavedStage()
        : Device({kDevice, kKind, {}})
    {
        setValue(QStringLiteral("position"), 0.0);
        setValue(QStringLiteral("destination"), 0.0);
        setPersistentKeys({QStringLiteral("position"), QStringLiteral("destination")});
    }
    QVariant value(const QString &key) const { return values().value(key); }
};

} // namespace

class TestStateStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void pathFollowsYaq()
    {
        const StateStore store(QStringLiteral("/var/state"));
        QCOMPARE(
            store.pathFor(kKind, kDevice), QStringLiteral("/var/state/sim-motor/stage-state.toml"));
    }

    void defaultDirectory()
    {
        const QByteArray saved = qgetenv("BENCHTOP_STATE_DIR");
        qputenv("BENCHTOP_STATE_DIR", "/tmp/benchtop-state-test");
        QCOMPARE(StateStore::defaultDirectory(), QStringLiteral("/tmp/benchtop-state-test"));
        qunsetenv("BENCHTOP_STATE_DIR");
        const QString fallback = StateStore::defaultDirectory();
        QVERIFY2(fallback.endsWith(QStringLiteral("/state")), qPrintable(fallback));
        QVERIFY(QDir::isAbsolutePath(fallback));
        if (!saved.isNull())
            qputenv("BENCHTOP_STATE_DIR", saved);
    }

    void missingFileIsEmptyWithoutWarning()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        const StateStore::Loaded loaded = store.load(kKind, kDevice);
        QVERIFY(loaded.state.isEmpty());
        QVERIFY(loaded.warning.isEmpty());
        QVERIFY(entries(dir.path()).isEmpty()); // loading creates nothing
    }

    void roundTripsEveryValueType()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.filePath(QStringLiteral("not/yet/there")));

        const QVariantMap state{
            {QStringLiteral("homed"), true},
            {QStringLiteral("off"), false},
            {QStringLiteral("count"), 42},
            {QStringLiteral("negative"), -7},
            {QStringLiteral("big"), std::numeric_limits<qlonglong>::max()},
            {QStringLiteral("small"), std::numeric_limits<qlonglong>::min()},
            {QStringLiteral("unsigned"), 4000000000u},
            {QStringLiteral("ulonglong"), qulonglong(1) << 62},
            {QStringLiteral("position"), 0.1},
            {QStringLiteral("whole"), 5.0},
            {QStringLiteral("third"), 1.0 / 3.0},
            {QStringLiteral("huge"), 1e300},
            {QStringLiteral("tiny"), std::numeric_limits<double>::denorm_min()},
            {QStringLiteral("negative_zero"), -0.0},
            {QStringLiteral("plus_inf"), std::numeric_limits<double>::infinity()},
            {QStringLiteral("minus_inf"), -std::numeric_limits<double>::infinity()},
            {QStringLiteral("single"), 0.5f},
            {QStringLiteral("name"),
                QStringLiteral("red \"filter\" \\ 650 nm\n\ttab\x01 µm ✓ 🙂")},
            {QStringLiteral("empty"), QString()},
            {QStringLiteral("list"), QVariantList{1, 2.5, QStringLiteral("x"), true}},
            {QStringLiteral("strings"), QStringList{QStringLiteral("a"), QStringLiteral("b")}},
            {QStringLiteral("nothing"), QVariantList{}},
            {QStringLiteral("nested list"), QVariantList{QVariantList{1, 2}, QVariantList{}}},
            {QStringLiteral("key with spaces.and dots"), 1},
            {QStringLiteral("ключ"), QStringLiteral("значение")},
            {QStringLiteral("table"),
                QVariantMap{{QStringLiteral("x"), 1.5},
                    {QStringLiteral("inner"),
                        QVariantMap{{QStringLiteral("deep"), QStringLiteral("yes")},
                            {QStringLiteral("e m"), QVariantMap{}}}},
                    {QStringLiteral("rows"),
                        QVariantList{QVariantMap{{QStringLiteral("a"), 1}}, QVariantMap{}}}}},
            {QStringLiteral("empty table"), QVariantMap{}},
            {QStringLiteral("hash"), QVariantHash{{QStringLiteral("h"), 2}}},
        };
        store.save(kKind, kDevice, state);
        QVERIFY(QFile::exists(store.pathFor(kKind, kDevice)));

        const StateStore::Loaded loaded = store.load(kKind, kDevice);
        QVERIFY2(loaded.warning.isEmpty(), qPrintable(loaded.warning));
        const QVariantMap &s = loaded.state;
        QCOMPARE(s.keys(), state.keys());

        // Types as TOML has them: integers come back as qlonglong, floats as double.
        QCOMPARE(s[QStringLiteral("homed")], QVariant(true));
        QCOMPARE(s[QStringLiteral("off")], QVariant(false));
        for (const char *key : {"count", "negative", "big", "small", "unsigned", "ulonglong"}) {
            QCOMPARE(s[QLatin1String(key)].typeId(), QMetaType::LongLong);
            QCOMPARE(s[QLatin1String(key)].toLongLong(), state[QLatin1String(key)].toLongLong());
        }
        for (const char *key : {"position", "whole", "third", "huge", "tiny", "negative_zero",
                 "plus_inf", "minus_inf", "single"}) {
            QCOMPARE(s[QLatin1String(key)].typeId(), QMetaType::Double);
            // Bit for bit: full precision, and -0.0 keeps its sign.
            const double expected = state[QLatin1String(key)].toDouble();
            const double actual = s[QLatin1String(key)].toDouble();
            QCOMPARE(std::bit_cast<quint64>(actual), std::bit_cast<quint64>(expected));
        }
        QCOMPARE(s[QStringLiteral("name")], state[QStringLiteral("name")]);
        QCOMPARE(s[QStringLiteral("empty")], QVariant(QString()));
        QCOMPARE(s[QStringLiteral("list")],
            QVariant(QVariantList{qlonglong(1), 2.5, QStringLiteral("x"), true}));
        QCOMPARE(s[QStringLiteral("strings")],
            QVariant(QVariantList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(s[QStringLiteral("nothing")], QVariant(QVariantList{}));
        QCOMPARE(s[QStringLiteral("nested list")],
            QVariant(QVariantList{QVariantList{qlonglong(1), qlonglong(2)}, QVariantList{}}));
        QCOMPARE(s[QStringLiteral("key with spaces.and dots")], QVariant(qlonglong(1)));
        QCOMPARE(s[QStringLiteral("ключ")], QVariant(QStringLiteral("значение")));
        QCOMPARE(s[QStringLiteral("table")],
            QVariant(QVariantMap{{QStringLiteral("x"), 1.5},
                {QStringLiteral("inner"),
                    QVariantMap{{QStringLiteral("deep"), QStringLiteral("yes")},
                        {QStringLiteral("e m"), QVariantMap{}}}},
                {QStringLiteral("rows"),
                    QVariantList{
                        QVariantMap{{QStringLiteral("a"), qlonglong(1)}}, QVariantMap{}}}}));
        QCOMPARE(s[QStringLiteral("empty table")], QVariant(QVariantMap{}));
        QCOMPARE(
            s[QStringLiteral("hash")], QVariant(QVariantMap{{QStringLiteral("h"), qlonglong(2)}}));
    }

    void nanRoundTrips()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        store.save(
            kKind, kDevice, {{QStringLiteral("v"), std::numeric_limits<double>::quiet_NaN()}});
        const StateStore::Loaded loaded = store.load(kKind, kDevice);
        QVERIFY(loaded.warning.isEmpty());
        QCOMPARE(loaded.state.value(QStringLiteral("v")).typeId(), QMetaType::Double);
        QVERIFY(std::isnan(loaded.state.value(QStringLiteral("v")).toDouble()));
    }

    void writesReadableToml()
    {
        const QVariantMap state{{QStringLiteral("position"), 0.1},
            {QStringLiteral("destination"), 12.0}, {QStringLiteral("slot"), QStringLiteral("red")},
            {QStringLiteral("hw_limits"), QVariantList{-inf(), 100.0}},
            {QStringLiteral("measured"),
                QVariantMap{{QStringLiteral("x"), 1e-5}, {QStringLiteral("measurement_id"), 3}}},
            {QStringLiteral("v"), std::numeric_limits<double>::quiet_NaN()}};
        QCOMPARE(StateStore::toToml(state),
            QByteArray("benchtop_state_version = 1\n"
                       "destination = 12.0\n"
                       "hw_limits = [ -inf, 100.0 ]\n"
                       "position = 0.1\n"
                       "slot = \"red\"\n"
                       "v = nan\n"
                       "\n"
                       "[measured]\n"
                       "measurement_id = 3\n"
                       "x = 1e-05\n"));
        QCOMPARE(StateStore::toToml({}), kVersionLine);
    }

    // Byte for byte as every other writer (tests/support/tomlsamples.h). A table at the top is
    // a [header]; inside an array it is written inline, as a lab file writes it.
    void valuesAreWrittenAsEveryTomlWriterDoes()
    {
        for (const Test::TomlSample &sample : Test::tomlSamples()) {
            const bool table = sample.value.typeId() == QMetaType::QVariantMap;
            const QVariant value = table ? QVariant(QVariantList{sample.value}) : sample.value;
            const QString text = table ? "[ " + sample.text + " ]" : sample.text;
            QCOMPARE(StateStore::toToml({{sample.key, value}}),
                kVersionLine + (sample.key + " = " + text + "\n").toUtf8());
        }
    }

    void fileWithoutAVersionIsVersion1()
    {
        // Files saved before the version key existed load as they always did.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        const QString path = store.pathFor(kKind, kDevice);
        QVERIFY(writeFile(path, "destination = 12.0\nposition = 12.0\n"));
        const StateStore::Loaded loaded = store.load(kKind, kDevice);
        QVERIFY2(loaded.warning.isEmpty(), qPrintable(loaded.warning));
        QCOMPARE(loaded.state,
            (QVariantMap{
                {QStringLiteral("destination"), 12.0}, {QStringLiteral("position"), 12.0}}));
        QCOMPARE(entries(dir.filePath(kKind)), QStringList{QStringLiteral("stage-state.toml")});
    }

    void versionIsNotPartOfTheState()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        const QVariantMap state{{QStringLiteral("position"), 1.5},
            {QStringLiteral("nested"),
                QVariantMap{
                    {QLatin1String(StateStore::kVersionKey), 7}}}}; // only the top is reserved
        store.save(kKind, kDevice, state);
        QVERIFY(readAll(store.pathFor(kKind, kDevice)).startsWith(kVersionLine));
        const StateStore::Loaded loaded = store.load(kKind, kDevice);
        QVERIFY2(loaded.warning.isEmpty(), qPrintable(loaded.warning));
        QCOMPARE(loaded.state,
            (QVariantMap{{QStringLiteral("position"), 1.5},
                {QStringLiteral("nested"),
                    QVariantMap{{QLatin1String(StateStore::kVersionKey), qlonglong(7)}}}}));
    }

    // Found by fuzz_statefile: the bare-key pattern's `$` matched before a final newline, so a
    // key "a\n" was written bare, as `a` and a line break, and the file could not be read back.
    void keyEndingInANewlineRoundTrips()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        const QVariantMap state{{QStringLiteral("a\n"), 20},
            {QStringLiteral("table\n"), QVariantMap{{QStringLiteral("b\n"), 1}}},
            {QStringLiteral("inline"),
                QVariantList{QVariantMap{{QStringLiteral("c\n"), QStringLiteral("x")}}}}};
        store.save(kKind, kDevice, state);
        const StateStore::Loaded loaded = store.load(kKind, kDevice);
        QVERIFY2(loaded.warning.isEmpty(), qPrintable(loaded.warning));
        QCOMPARE(loaded.state,
            (QVariantMap{{QStringLiteral("a\n"), qlonglong(20)},
                {QStringLiteral("table\n"), QVariantMap{{QStringLiteral("b\n"), qlonglong(1)}}},
                {QStringLiteral("inline"),
                    QVariantList{QVariantMap{{QStringLiteral("c\n"), QStringLiteral("x")}}}}}));
    }

    void deepestNestingRoundTrips()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        QVariant deep = 1;
        for (int i = 0; i < 128; ++i)
            deep = i % 2 ? QVariant(QVariantList{deep}) : QVariant(QVariantMap{{"k", deep}});
        // Under a header, a table is not nested in anything.
        const QVariantMap state{{QStringLiteral("t"), QVariantMap{{QStringLiteral("list"), deep}}}};
        store.save(kKind, kDevice, state);
        const StateStore::Loaded loaded = store.load(kKind, kDevice);
        QVERIFY2(loaded.warning.isEmpty(), qPrintable(loaded.warning));
        QCOMPARE(StateStore::toToml(loaded.state), StateStore::toToml(state));
    }

    // Found by fuzz_statefile: dotted keys in a file make tables as deep as they like without
    // nesting anything, but written back they were inline tables inside each other, deeper than
    // a TOML reader takes: save() wrote a file that load() then set aside. Now save() refuses.
    void dottedKeysTooDeepToWriteBackAreRefusedBySave()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        const QString path = store.pathFor(kKind, kDevice);
        QByteArray dotted = "a";
        for (int i = 0; i < 299; ++i)
            dotted += ".a";
        const QByteArray content = "rows = [ { " + dotted + " = 1 } ]\n";
        QVERIFY(writeFile(path, content));
        const StateStore::Loaded loaded = store.load(kKind, kDevice);
        QVERIFY2(loaded.warning.isEmpty(), qPrintable(loaded.warning));
        QCOMPARE(loaded.state.keys(), QStringList{QStringLiteral("rows")});

        const QString error = saveError(store, loaded.state);
        QVERIFY2(error.startsWith(QStringLiteral("cannot save state key \"rows[0].a.a.a")),
            qPrintable(error));
        QVERIFY2(error.endsWith(QStringLiteral("\": arrays and inline tables nested more than "
                                               "128 deep")),
            qPrintable(error));
        QCOMPARE(readAll(path), content);
    }

    void saveReplacesTheWholeFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        store.save(kKind, kDevice, {{QStringLiteral("a"), 1}, {QStringLiteral("b"), 2}});
        store.save(kKind, kDevice, {{QStringLiteral("a"), 3}});
        QCOMPARE(
            store.load(kKind, kDevice).state, (QVariantMap{{QStringLiteral("a"), qlonglong(3)}}));
        QCOMPARE(entries(dir.filePath(kKind)), QStringList{QStringLiteral("stage-state.toml")});
    }

    void unsupportedValueThrowsAndKeepsTheOldFile_data()
    {
        QTest::addColumn<QVariantMap>("state");
        QTest::addColumn<QString>("message");
        QTest::newRow("byte array") << QVariantMap{{QStringLiteral("raw"), QByteArray("x")}}
                                    << QStringLiteral("cannot save state key \"raw\": values of "
                                                      "type QByteArray are not supported");
        QTest::newRow("nested")
            << QVariantMap{{QStringLiteral("a"),
                   QVariantMap{{QStringLiteral("b"),
                       QVariantList{1, QDateTime::fromSecsSinceEpoch(0, Qt::UTC)}}}}}
            << QStringLiteral(
                   "cannot save state key \"a.b[1]\": values of type QDateTime are not supported");
        QTest::newRow("null") << QVariantMap{{QStringLiteral("n"), QVariant()}}
                              << QStringLiteral("cannot save state key \"n\": values of type "
                                                "invalid (null) are not supported");
        QTest::newRow("too large")
            << QVariantMap{{QStringLiteral("u"), std::numeric_limits<qulonglong>::max()}}
            << QStringLiteral("cannot save state key \"u\": 18446744073709551615 is too large "
                              "for a TOML integer");
        // One arg() call: a "%1" in the key is not a place for the number.
        QTest::newRow("too large, a per cent sign in the key")
            << QVariantMap{{QStringLiteral("u%1"), std::numeric_limits<qulonglong>::max()}}
            << QStringLiteral("cannot save state key \"u%1\": 18446744073709551615 is too "
                              "large for a TOML integer");
        QString deepPath = QStringLiteral("deep");
        QVariant deep = 1;
        for (int i = 0; i < 129; ++i) {
            deep = QVariantList{deep};
            if (i > 0)
                deepPath += QStringLiteral("[0]");
        }
        QTest::newRow("nested too deep")
            << QVariantMap{{QStringLiteral("deep"), deep}}
            << QStringLiteral("cannot save state key \"%1\": arrays and inline tables nested "
                              "more than 128 deep")
                   .arg(deepPath);
        QTest::newRow("the version key")
            << QVariantMap{{QLatin1String(StateStore::kVersionKey), 2}}
            << QStringLiteral("cannot save state key \"benchtop_state_version\": the name is "
                              "reserved for the file's version");
    }

    void unsupportedValueThrowsAndKeepsTheOldFile()
    {
        QFETCH(QVariantMap, state);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        store.save(kKind, kDevice, {{QStringLiteral("position"), 1.5}});
        const QString path = store.pathFor(kKind, kDevice);
        const QByteArray before = readAll(path);

        QCOMPARE(saveError(store, state), message);
        QCOMPARE(readAll(path), before);
        QCOMPARE(entries(dir.filePath(kKind)), QStringList{QStringLiteral("stage-state.toml")});
    }

    void failedWriteKeepsTheOldFile()
    {
        // A write that fails half-way (the file-size limit makes the temporary file's write
        // fail with EFBIG, whoever runs the test): the old state stays, no temporary remains.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        store.save(kKind, kDevice, {{QStringLiteral("position"), 1.5}});
        const QString path = store.pathFor(kKind, kDevice);
        const QByteArray before = readAll(path);
        QVERIFY(!before.isEmpty());

        QString error;
        {
            FileSizeLimit limit(64);
            QVERIFY(limit.ok());
            error = saveError(store,
                {{QStringLiteral("position"), 2.5},
                    {QStringLiteral("log"), QString(4096, QLatin1Char('x'))}});
        }
        QCOMPARE(error, QStringLiteral("cannot save state to %1: File too large").arg(path));
        QCOMPARE(readAll(path), before);
        QCOMPARE(entries(dir.filePath(kKind)), QStringList{QStringLiteral("stage-state.toml")});
        QCOMPARE(
            store.load(kKind, kDevice).state, (QVariantMap{{QStringLiteral("position"), 1.5}}));
    }

    void unwritableDirectoryKeepsTheOldFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        store.save(kKind, kDevice, {{QStringLiteral("position"), 1.5}});
        const QString path = store.pathFor(kKind, kDevice);
        const QString kindDir = dir.filePath(kKind);
        const QByteArray before = readAll(path);

        QFile::setPermissions(kindDir, QFileDevice::ReadOwner | QFileDevice::ExeOwner);
        const bool enforced = ::access(qPrintable(kindDir), W_OK) != 0;
        QString error;
        if (enforced)
            error = saveError(store, {{QStringLiteral("position"), 2.5}});
        QFile::setPermissions(
            kindDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        if (!enforced)
            QSKIP("permissions are not enforced for this user (root); failedWriteKeepsTheOldFile "
                  "covers a failing save");

        QVERIFY2(
            error.startsWith(QStringLiteral("cannot save state to ") + path + QLatin1String(": ")),
            qPrintable(error));
        QCOMPARE(readAll(path), before);
        QCOMPARE(entries(kindDir), QStringList{QStringLiteral("stage-state.toml")});
    }

    void uncreatableDirectoryThrowsNamingTheFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // The kind's directory cannot be created because a file is in the way.
        QVERIFY(writeFile(dir.filePath(kKind), "not a directory"));
        const StateStore store(dir.path());
        QCOMPARE(saveError(store, {{QStringLiteral("position"), 2.5}}),
            QStringLiteral("cannot save state to %1: cannot create the directory")
                .arg(store.pathFor(kKind, kDevice)));
    }

    void corruptFileIsSetAside_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        QTest::newRow("syntax") << QByteArray("position = 1.5\ndestination = \n")
                                << QStringLiteral(":2:15: state file is not valid TOML (Error "
                                                  "while parsing key-value pair: expected value, "
                                                  "saw '\\n')");
        QTest::newRow("truncated") << QByteArray("position = 1.5\nslot = \"re")
                                   << QStringLiteral(":2:11: state file is not valid TOML (Error "
                                                     "while parsing string: encountered "
                                                     "end-of-file)");
        // A TOML document is always a table: a top level of another kind is a syntax error.
        QTest::newRow("array at the top")
            << QByteArray("[1, 2, 3]\n")
            << QStringLiteral(":1:3: state file is not valid TOML (Error while parsing table "
                              "header: expected ']', saw ',')");
        QTest::newRow("json") << QByteArray("{\"position\": 1.5}\n")
                              << QStringLiteral(":1:1: state file is not valid TOML");
        QTest::newRow("binary")
            << QByteArray("\xff\xfe\x00\x01", 4)
            << QStringLiteral(
                   ":1:1: state file is not valid TOML "
                   "(Encountered invalid utf-8 sequence (a TOML file must be UTF-8 text))");
    }

    void corruptFileIsSetAside()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        const QString path = store.pathFor(kKind, kDevice);
        QVERIFY(writeFile(path, content));

        const StateStore::Loaded loaded = store.load(kKind, kDevice);
        QVERIFY(loaded.state.isEmpty());
        QVERIFY2(loaded.warning.startsWith(path + reason), qPrintable(loaded.warning));

        const QStringList files = entries(dir.filePath(kKind));
        QCOMPARE(files.size(), 1);
        const QString aside = dir.filePath(kKind) + QLatin1Char('/') + files.first();
        QVERIFY2(QRegularExpression(QStringLiteral("^stage-state\\.toml\\.corrupt-\\d{8}-\\d{6}$"))
                     .match(files.first())
                     .hasMatch(),
            qPrintable(files.first()));
        QVERIFY2(
            loaded.warning.endsWith(QStringLiteral("; moved it to %1; using defaults").arg(aside)),
            qPrintable(loaded.warning));
        QVERIFY(!loaded.warning.contains(QLatin1Char('\n')));
        QCOMPARE(readAll(aside), content); // set aside, not lost

        // The next start is a normal first start, and a save goes where it should.
        const StateStore::Loaded again = store.load(kKind, kDevice);
        QVERIFY(again.state.isEmpty());
        QVERIFY(again.warning.isEmpty());
        store.save(kKind, kDevice, {{QStringLiteral("position"), 0.0}});
        QCOMPARE(entries(dir.filePath(kKind)).size(), 2);
    }

    void setAsideNameGetsACounterWhenTaken()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        const QString path = store.pathFor(kKind, kDevice);
        // Take the plain name for this second and the next few, whenever load() runs.
        const QDateTime now = QDateTime::currentDateTime();
        for (int s = 0; s < 10; ++s) {
            QVERIFY(writeFile(path + QStringLiteral(".corrupt-")
                    + now.addSecs(s).toString(QStringLiteral("yyyyMMdd-HHmmss")),
                "older"));
        }
        QVERIFY(writeFile(path, "= broken"));
        const StateStore::Loaded loaded = store.load(kKind, kDevice);
        const QRegularExpressionMatch match = QRegularExpression(
            QStringLiteral("moved it to (.*-state\\.toml\\.corrupt-\\d{8}-\\d{6}-2); "))
                                                  .match(loaded.warning);
        QVERIFY2(match.hasMatch(), qPrintable(loaded.warning));
        QCOMPARE(readAll(match.captured(1)), QByteArray("= broken"));
        QVERIFY(!QFile::exists(path));
    }

    void unreadableFileIsSetAside()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        const QString path = store.pathFor(kKind, kDevice);
        QVERIFY(writeFile(path, "position = 1.5\n"));
        QFile::setPermissions(path, QFileDevice::Permissions());
        if (::access(qPrintable(path), R_OK) == 0)
            QSKIP("permissions are not enforced for this user (root)");
        const StateStore::Loaded loaded = store.load(kKind, kDevice);
        QVERIFY(loaded.state.isEmpty());
        QVERIFY2(loaded.warning.startsWith(path + QStringLiteral(": cannot read state file (")),
            qPrintable(loaded.warning));
        QVERIFY(loaded.warning.contains(QStringLiteral("; moved it to ")));
        QVERIFY(!QFile::exists(path));
    }

    void datesAreLeftOutWithAWarning()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        const QString path = store.pathFor(kKind, kDevice);
        QVERIFY(writeFile(path, "position = 1.5\nwhen = 2024-01-01\n[t]\nat = 07:00:00\n"));
        const StateStore::Loaded loaded = store.load(kKind, kDevice);
        QCOMPARE(loaded.state, (QVariantMap{{QStringLiteral("position"), 1.5}}));
        QCOMPARE(loaded.warning,
            path + QStringLiteral(":4:6: key \"t.at\" is a time, which state files do not hold; ")
                + path
                + QStringLiteral(":2:8: key \"when\" is a date, which state files do not hold; "
                                 "left those out"));
        QVERIFY(QFile::exists(path)); // valid TOML: not set aside
    }

    // A file whose version this Benchtop cannot read is moved aside, named for why (".corrupt-"
    // for a version that is not one, ".newer-" for a newer one, which a newer Benchtop wrote and
    // may want back), and the device starts from its defaults; its next save leaves the moved
    // file alone.
    void unreadableVersionIsSetAsideAndKept_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("aside"); // the suffix of the moved file
        QTest::newRow("string") << QByteArray("benchtop_state_version = \"1\"\nposition = 1.5\n")
                                << QStringLiteral(":1:26: state file version is a string, not an "
                                                  "integer")
                                << QStringLiteral("corrupt");
        QTest::newRow("float") << QByteArray("position = 1.5\nbenchtop_state_version = 1.0\n")
                               << QStringLiteral(":2:26: state file version is a float, not an "
                                                 "integer")
                               << QStringLiteral("corrupt");
        QTest::newRow("boolean") << QByteArray("benchtop_state_version = true\n")
                                 << QStringLiteral(":1:26: state file version is a boolean, not "
                                                   "an integer")
                                 << QStringLiteral("corrupt");
        QTest::newRow("array") << QByteArray("benchtop_state_version = [1]\n")
                               << QStringLiteral(":1:26: state file version is an array, not an "
                                                 "integer")
                               << QStringLiteral("corrupt");
        QTest::newRow("table") << QByteArray("position = 1.5\n[benchtop_state_version]\nv = 1\n")
                               << QStringLiteral(":2:1: state file version is a table, not an "
                                                 "integer")
                               << QStringLiteral("corrupt");
        QTest::newRow("date") << QByteArray("benchtop_state_version = 2024-01-01\n")
                              << QStringLiteral(":1:26: state file version is a date, not an "
                                                "integer")
                              << QStringLiteral("corrupt");
        QTest::newRow("zero") << QByteArray("benchtop_state_version = 0\nposition = 1.5\n")
                              << QStringLiteral(":1:26: state file version 0 is not a version "
                                                "(they start at 1)")
                              << QStringLiteral("corrupt");
        QTest::newRow("negative") << QByteArray("benchtop_state_version = -3\n")
                                  << QStringLiteral(":1:26: state file version -3 is not a "
                                                    "version (they start at 1)")
                                  << QStringLiteral("corrupt");
        QTest::newRow("version 2")
            << QByteArray("benchtop_state_version = 2\nposition = { x = 1.5, y = 2.0 }\n")
            << QStringLiteral(":1:26: state file version 2 is newer than this Benchtop reads "
                              "(1)")
            << QStringLiteral("newer");
        QTest::newRow("largest")
            << QByteArray("position = 1.5\nbenchtop_state_version = 9223372036854775807\n")
            << QStringLiteral(":2:26: state file version 9223372036854775807 is newer than this "
                              "Benchtop reads (1)")
            << QStringLiteral("newer");
    }

    void unreadableVersionIsSetAsideAndKept()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        QFETCH(QString, aside);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        const QString path = store.pathFor(kKind, kDevice);
        QVERIFY(writeFile(path, content));

        const StateStore::Loaded loaded = store.load(kKind, kDevice);
        QVERIFY(loaded.state.isEmpty());
        const QStringList files = entries(dir.filePath(kKind));
        QCOMPARE(files.size(), 1);
        QVERIFY2(
            QRegularExpression(QStringLiteral("^stage-state\\.toml\\.%1-\\d{8}-\\d{6}$").arg(aside))
                .match(files.first())
                .hasMatch(),
            qPrintable(files.first()));
        const QString movedTo = dir.filePath(kKind) + QLatin1Char('/') + files.first();
        QCOMPARE(loaded.warning,
            path + reason + QStringLiteral("; moved it to %1; using defaults").arg(movedTo));
        QCOMPARE(readAll(movedTo), content);

        // The device's next save (of its defaults) does not touch the moved file.
        store.save(kKind, kDevice, {{QStringLiteral("position"), 0.0}});
        QCOMPARE(readAll(movedTo), content);
        QCOMPARE(entries(dir.filePath(kKind)).size(), 2);
        QCOMPARE(
            store.load(kKind, kDevice).state, (QVariantMap{{QStringLiteral("position"), 0.0}}));
    }

    // Whether a value suits the device is the device's to judge: a value of the wrong type for
    // one key keeps that key's default, with a warning; the other keys are restored and the
    // file stays (the device's next save replaces it).
    void wrongTypeForOneKeyKeepsItsDefault_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<double>("position");
        QTest::addColumn<bool>("leftOutByTheStore");
        QTest::addColumn<bool>("refusedByTheDevice");
        QTest::newRow("integer for a float")
            << QByteArray("position = 3\n") << 3.0 << false << false;
        QTest::newRow("word") << QByteArray("position = \"far away\"\n") << 0.0 << false << true;
        QTest::newRow("array") << QByteArray("position = [1.0, 2.0]\n") << 0.0 << false << true;
        QTest::newRow("table") << QByteArray("[position]\nx = 1.0\n") << 0.0 << false << true;
        QTest::newRow("date") << QByteArray("position = 2024-01-01\n") << 0.0 << true << false;
    }

    void wrongTypeForOneKeyKeepsItsDefault()
    {
        QFETCH(QByteArray, content);
        QFETCH(double, position);
        QFETCH(bool, leftOutByTheStore);
        QFETCH(bool, refusedByTheDevice);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        const QString path = store.pathFor(kKind, kDevice);
        QVERIFY(writeFile(path, "destination = 4.5\n" + content));

        const StateStore::Loaded loaded = store.load(kKind, kDevice);
        QCOMPARE(loaded.warning.isEmpty(), !leftOutByTheStore);
        QCOMPARE(loaded.state.value(QStringLiteral("destination")), QVariant(4.5));
        SavedStage stage;
        if (refusedByTheDevice) {
            QTest::ignoreMessage(
                QtWarningMsg, "stage: saved position has the wrong type; keeping the default");
        }
        stage.restoreState(loaded.state);
        QCOMPARE(stage.value(QStringLiteral("position")), QVariant(position));
        QCOMPARE(stage.value(QStringLiteral("destination")), QVariant(4.5));
        QVERIFY(QFile::exists(path)); // valid TOML of this version: not set aside
    }

    // Device::restoreState takes a saved value only of the device's own kind: QVariant::convert
    // would have made a number of a boolean or of a number written as a string, silently; and a
    // number that is not finite is no position to drive to.
    void unusableValueKeepsItsDefault_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("why");
        QTest::newRow("number as a string")
            << QByteArray("position = \"1.5\"\n") << QStringLiteral("has the wrong type");
        QTest::newRow("boolean") << QByteArray("position = true\n")
                                 << QStringLiteral("has the wrong type");
        QTest::newRow("nan") << QByteArray("position = nan\n")
                             << QStringLiteral("is not a finite number");
        QTest::newRow("infinity") << QByteArray("position = -inf\n")
                                  << QStringLiteral("is not a finite number");
    }

    void unusableValueKeepsItsDefault()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, why);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        QVERIFY(writeFile(store.pathFor(kKind, kDevice), content));
        const StateStore::Loaded loaded = store.load(kKind, kDevice);
        QVERIFY(loaded.warning.isEmpty());
        SavedStage stage;
        QTest::ignoreMessage(QtWarningMsg,
            qPrintable(QStringLiteral("%1: saved position %2; keeping the default")
                           .arg(stage.name(), why)));
        stage.restoreState(loaded.state);
        QCOMPARE(stage.value(QStringLiteral("position")), QVariant(0.0));
    }

    void anIntegerIsTakenForADouble()
    {
        QTemporaryDir dir;
        const StateStore store(dir.path());
        QVERIFY(writeFile(store.pathFor(kKind, kDevice), "position = 3\n"));
        SavedStage stage;
        stage.restoreState(store.load(kKind, kDevice).state);
        QCOMPARE(stage.value(QStringLiteral("position")), QVariant(3.0));
    }

    // Found while writing fuzz_statefile (its invariants, on inputs written by hand): a key
    // was named as it is, so a newline in it broke the warning's line, and every key left out
    // was named, so a warning could be as long as the file.
    void leftOutKeysMakeOneShortLine_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("warning");
        QTest::newRow("newline in a key")
            << QByteArray("\"a\\nb\" = 2024-01-01\n")
            << QStringLiteral(":1:10: key \"a\\nb\" is a date, which state files do not hold; "
                              "left those out");
        QTest::newRow("long key")
            << (QByteArray("\"") + QByteArray(4000, 'k') + "\" = 00:00:00\n")
            << QStringLiteral(":1:4006: key \"%1…\" (4000 characters) is a time, which state "
                              "files do not hold; left those out")
                   .arg(QString(40, QLatin1Char('k')));
        QByteArray times = "a = [00:00:00";
        for (int i = 1; i < 450; ++i)
            times += ", 00:00:00";
        QTest::newRow("many") << times + "]\n"
                              << QStringLiteral(":1:6: key \"a[0]\" is a time, which state "
                                                "files do not hold; %1:1:16: key \"a[1]\" is "
                                                "a time, which state files do not hold; %1:1:26: "
                                                "key \"a[2]\" is a time, which state files do "
                                                "not hold; and 447 more; left those out");
    }

    void leftOutKeysMakeOneShortLine()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, warning);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.path());
        const QString path = store.pathFor(kKind, kDevice);
        QVERIFY(writeFile(path, content + "position = 1.5\n"));
        const StateStore::Loaded loaded = store.load(kKind, kDevice);
        QCOMPARE(loaded.state, (QVariantMap{{QStringLiteral("position"), 1.5}}));
        QCOMPARE(loaded.warning, path + warning.replace(QLatin1String("%1"), path));
    }

    // QString::arg() one argument at a time would read a "%2" in the path as its next place.
    void pathWithPercentSignsIsNamedAsItIs()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.filePath(QStringLiteral("100%2 %1 done")));
        const QString path = store.pathFor(kKind, kDevice);
        QVERIFY(writeFile(path, "position = \n"));
        const QString warning = store.load(kKind, kDevice).warning;
        QVERIFY2(warning.startsWith(path + QStringLiteral(":1:12: state file is not valid TOML (")),
            qPrintable(warning));
        QVERIFY2(
            warning.contains(QStringLiteral("; moved it to ") + path + QStringLiteral(".corrupt-")),
            qPrintable(warning));
        QVERIFY(writeFile(path, "position = 1.5\nwhen = 2024-01-01\n"));
        QCOMPARE(store.load(kKind, kDevice).warning,
            path
                + QStringLiteral(":2:8: key \"when\" is a date, which state files do not hold; "
                                 "left those out"));
    }

    void unsafeNamesAreRefused_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("device");
        QTest::newRow("empty device") << kKind << QString();
        QTest::newRow("dot dot") << QStringLiteral("..") << kDevice;
        QTest::newRow("slash") << kKind << QStringLiteral("../../etc/x");
        QTest::newRow("backslash") << kKind << QStringLiteral("a\\b");
    }

    void unsafeNamesAreRefused()
    {
        QFETCH(QString, kind);
        QFETCH(QString, device);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const StateStore store(dir.filePath(QStringLiteral("state")));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, store.save(kind, device, {}));
        const StateStore::Loaded loaded = store.load(kind, device);
        QVERIFY(loaded.state.isEmpty());
        QVERIFY(!loaded.warning.isEmpty());
        QCOMPARE(entries(dir.path()), QStringList());
        QVERIFY(!QDir(dir.filePath(QStringLiteral("state"))).exists());
    }

private:
    static double inf() { return std::numeric_limits<double>::infinity(); }
};

QTEST_GUILESS_MAIN(TestStateStore)
#include "tst_statestore.moc"
