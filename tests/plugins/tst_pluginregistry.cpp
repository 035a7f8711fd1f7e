// SPDX-License-Identifier: MIT
// PluginRegistry: metadata read without loading, lazy loading through QPluginLoader, every
// broken-plugin fixture refused (or failing at create()) with its reason, linked factories,
// search paths; parsePluginMetadata on every malformed case.
#include "testsupport.h"

#include <device/device.h>
#include <device/deviceerror.h>
#include <device/traits.h>
#include <plugins/driverfactory.h>
#include <plugins/pluginregistry.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPluginLoader>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <stdexcept>

using namespace Benchtop;

namespace {

QString fixtureDir(const char *name)
{
    return QStringLiteral(BENCHTOP_FIXTURE_ROOT "/") + QLatin1String(name);
}

// The one file in a fixture's folder (each folder holds exactly one).
QString fixtureFile(const char *name)
{
    const QFileInfoList files = QDir(fixtureDir(name)).entryInfoList(QDir::Files);
    return files.size() == 1 ? files.first().canonicalFilePath() : QString();
}

QString goodPlugin()
{
    return QFileInfo(QStringLiteral(BENCHTOP_FIXTURE_GOOD)).canonicalFilePath();
}

// Whether the dynamic linker has mapped `path` into this process.
bool isMapped(const QString &path)
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    if (!maps.open(QIODevice::ReadOnly))
        return false;
    return QString::fromLocal8Bit(maps.readAll()).contains(path);
}

QJsonObject json(const char *text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(text), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad JSON in the test: %s", qPrintable(error.errorString()));
    return document.object();
}

// Runs create() and returns the DeviceError's message ("" if nothing was thrown).
QString createError(
    PluginRegistry &registry, const QString &kind, const QString &name = QStringLiteral("dev1"))
{
    try {
        registry.create(DeviceSettings{name, kind, {}});
    } catch (const DeviceError &e) {
        return e.message();
    }
    return {};
}

// A single refusal of a registry that scanned one fixture folder.
PluginRefusal refusalOf(const char *fixture)
{
    PluginRegistry registry;
    registry.addSearchPath(fixtureDir(fixture));
    registry.scan();
    const QList<PluginRefusal> refusals = registry.refusals();
    if (refusals.size() != 1 || !registry.plugins().isEmpty()) {
        qWarning("fixture %s: %d refusals, %d plugins", fixture, int(refusals.size()),
            int(registry.plugins().size()));
        return {};
    }
    return refusals.first();
}

// A device compiled into the test, for the linked factory.
class LinkedMotor
    : public Device
    , public HasPosition {
    Q_OBJECT
    Q_INTERFACES(Benchtop::HasPosition)
public:
    using Device::Device;
    QString units() const override { return QStringLiteral("mm"); }
    double position() const override { return m_position; }
    double destination() const override { return m_position; }
    void setPosition(double position) override { m_position = position; }

private:
    double m_position = 0;
};

class LinkedFactory
    : public QObject
    , public DriverFactory {
    Q_OBJECT
    Q_INTERFACES(Benchtop::DriverFactory)
public:
    enum class Mode { Good, WrongName, WrongKind, PlainDevice, ThrowsNonStd, ThrowsStd };
    Mode mode = Mode::Good;
    std::atomic<int> created = 0;

    Device *create(const DeviceSettings &settings) override
    {
        ++created;
        DeviceSettings s = settings;
        switch (mode) {
        case Mode::Good:
            break;
        case Mode::WrongName:
            s.name = QStringLiteral("someone-else");
            break;
        case Mode::WrongKind:
            s.kind = QStringLiteral("linked-other");
            break;
        case Mode::PlainDevice:
            return new Device(s);
        case Mode::ThrowsNonStd:
            throw 42;
        case Mode::ThrowsStd:
            break;
        }
        return new LinkedMotor(s);
    }

    /// A warning for a fast motor; ThrowsNonStd throws here too, ThrowsStd a std::exception.
    QList<ConfigProblem> checkConfig(const DeviceSettings &settings) const override
    {
        if (mode == Mode::ThrowsNonStd)
            throw 42;
        if (mode == Mode::ThrowsStd)
            throw std::runtime_error("no\nway");
        if (settings.config.value(QStringLiteral("speed")).toDouble() > 50)
            return {ConfigProblem::warning(QStringLiteral("speed"), QStringLiteral("fast"))};
        return {};
    }
};

constexpr const char *kLinkedMetadata = R"({
    "abi": 3, "name": "linked", "version": "0.0.1", "description": "compiled into the test",
    "drivers": [{"kind": "linked-motor", "traits": ["has-position"],
                 "config": [{"name": "speed", "type": "double", "default": 10, "units": "mm/s"}]}]
})";

} // namespace

Q_DECLARE_METATYPE(LinkedFactory::Mode)
Q_DECLARE_METATYPE(Benchtop::PluginRegistry::Result::ErrorReason)

class TestPluginRegistry : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    // First on purpose: once a test has created a fixture-counter, its library stays loaded.
    void readsMetadataWithoutLoadingAndLoadsOnFirstCreate()
    {
        const QString path = goodPlugin();
        QVERIFY(!path.isEmpty());
        if (isMapped(path) || qEnvironmentVariableIsSet("BENCHTOP_FIXTURE_GOOD_LOADED"))
            QFAIL("the good fixture is already loaded: this test must run first");

        PluginRegistry registry;
        registry.addSearchPath(fixtureDir("good"));
        registry.scan();
        QCOMPARE(registry.refusals().size(), 0);
        QCOMPARE(registry.plugins().size(), 1);
        QCOMPARE(registry.kinds(), QStringList{QStringLiteral("fixture-counter")});
        QVERIFY(registry.driver(QStringLiteral("fixture-counter")).has_value());
        // Everything above came from the file's metadata section: no code ran, nothing mapped.
        QVERIFY(!isMapped(path));
        QVERIFY(!qEnvironmentVariableIsSet("BENCHTOP_FIXTURE_GOOD_LOADED"));

        std::unique_ptr<Device> device
            = registry.create({QStringLiteral("counter"), QStringLiteral("fixture-counter"), {}});
        QVERIFY(device);
        QVERIFY(isMapped(path));
        QVERIFY(qEnvironmentVariableIsSet("BENCHTOP_FIXTURE_GOOD_LOADED"));
    }

    void goodPluginMetadata()
    {
        PluginRegistry registry;
        registry.addSearchPath(fixtureDir("good"));
        registry.scan();
        QCOMPARE(registry.plugins().size(), 1);
        const PluginInfo plugin = registry.plugins().first();
        QCOMPARE(plugin.path, goodPlugin());
        QCOMPARE(plugin.name, QStringLiteral("fixture-good"));
        QCOMPARE(plugin.version, QStringLiteral("1.0.0"));
        QCOMPARE(plugin.abi, kPluginAbi);
        QCOMPARE(plugin.drivers.size(), 1);
        const DriverInfo driver = plugin.drivers.first();
        QCOMPARE(driver.kind, QStringLiteral("fixture-counter"));
        QCOMPARE(driver.traits,
            (QStringList{QStringLiteral("is-daemon"), QStringLiteral("is-sensor"),
                QStringLiteral("has-measure-trigger")}));
        QCOMPARE(driver.config.size(), 2);
        QCOMPARE(driver.config.at(0).name, QStringLiteral("start"));
        QCOMPARE(driver.config.at(0).defaultValue, QVariant::fromValue(qlonglong(0)));
        QCOMPARE(driver.config.at(0).minimum, std::optional<double>(0));
        QVERIFY(driver.config.at(1).required());
    }

    void createsThroughQPluginLoaderWithTheDeclaredTraits()
    {
        PluginRegistry registry;
        registry.addSearchPath(fixtureDir("good"));
        registry.scan();
        const QVariantMap config{{QStringLiteral("start"), qlonglong(41)}};
        std::unique_ptr<Device> device = registry.create(
            {QStringLiteral("counter"), QStringLiteral("fixture-counter"), config});
        QVERIFY(device);
        QCOMPARE(device->name(), QStringLiteral("counter"));
        QCOMPARE(device->kind(), QStringLiteral("fixture-counter"));
        QCOMPARE(device->config(), config);
        QCOMPARE(device->traits(), registry.driver(QStringLiteral("fixture-counter"))->traits);
        auto *trigger = qobject_cast<HasMeasureTrigger *>(device.get());
        auto *sensor = qobject_cast<IsSensor *>(device.get());
        QVERIFY(trigger);
        QVERIFY(sensor);
        QCOMPARE(trigger->measure(false), 0);
        QCOMPARE(sensor->measured().value(QStringLiteral("count")).toLongLong(), 42);

        // A second device of the same kind: the plugin is already loaded.
        std::unique_ptr<Device> other
            = registry.create({QStringLiteral("counter2"), QStringLiteral("fixture-counter"), {}});
        QCOMPARE(other->name(), QStringLiteral("counter2"));
    }

    void refusesATextFileNamedLikeALibrary()
    {
        const PluginRefusal refusal = refusalOf("text");
        QCOMPARE(refusal.path, fixtureFile("text"));
        QVERIFY2(refusal.reason.startsWith(QLatin1String("not a valid ELF object")),
            qPrintable(refusal.reason));
    }

    void refusesALibraryThatIsNotAQtPlugin()
    {
        const PluginRefusal refusal = refusalOf("plain");
        QCOMPARE(refusal.path, fixtureFile("plain"));
        QVERIFY2(refusal.reason.startsWith(QLatin1String("not a Qt plugin")),
            qPrintable(refusal.reason));
    }

    void refusesAWrongIid()
    {
        const PluginRefusal refusal = refusalOf("wrong-iid");
        QCOMPARE(refusal.path, fixtureFile("wrong-iid"));
        QCOMPARE(refusal.reason,
            QStringLiteral("wrong plugin IID \"org.example.NotABenchtopDriver\": a Benchtop driver "
                           "plugin has IID \"dev.benchtop.DriverFactory\""));
    }

    void refusesAWrongAbiNamingBothNumbers()
    {
        const PluginRefusal refusal = refusalOf("wrong-abi");
        QCOMPARE(refusal.path, fixtureFile("wrong-abi"));
        QCOMPARE(refusal.reason, QStringLiteral("plugin ABI 999, but this Benchtop has ABI 3"));
    }

    void refusesMalformedMetadata_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("reason");
        QTest::newRow("no drivers") << "no-drivers"
                                    << "malformed metadata: \"drivers\" is missing";
        QTest::newRow("unknown trait")
            << "unknown-trait"
            << "malformed metadata: drivers[0] (\"fixture-unknown-trait\"): unknown trait "
               "\"has-wings\" (known: is-daemon, has-position,";
        QTest::newRow("default of the wrong type")
            << "default-type"
            << "malformed metadata: drivers[0] (\"fixture-default-type\"): config[0] (\"speed\"): "
               "default must be a number";
        QTest::newRow("kind declared twice in one plugin")
            << "dup-within"
            << "malformed metadata: drivers[1] (\"fixture-twice\"): kind \"fixture-twice\" is "
               "declared twice (also drivers[0])";
    }

    void refusesMalformedMetadata()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, reason);
        const PluginRefusal refusal = refusalOf(qPrintable(fixture));
        QCOMPARE(refusal.path, fixtureFile(qPrintable(fixture)));
        QVERIFY2(refusal.reason.startsWith(reason), qPrintable(refusal.reason));
    }

    void refusesAKindAlreadyProvidedAndTheEarlierWins()
    {
        PluginRegistry registry;
        registry.addSearchPath(fixtureDir("dup-a"));
        registry.addSearchPath(fixtureDir("dup-b"));
        registry.scan();
        QCOMPARE(registry.plugins().size(), 1);
        QCOMPARE(registry.plugins().first().path, fixtureFile("dup-a"));
        QCOMPARE(registry.plugins().first().name, QStringLiteral("fixture-dup-a"));
        QCOMPARE(registry.kinds(), QStringList{QStringLiteral("fixture-dup")});
        QCOMPARE(registry.refusals().size(), 1);
        const PluginRefusal refusal = registry.refusals().first();
        QCOMPARE(refusal.path, fixtureFile("dup-b"));
        QCOMPARE(refusal.reason,
            QStringLiteral("driver kind \"fixture-dup\" is already provided by %1")
                .arg(fixtureFile("dup-a")));
    }

    void createReportsAFactoryThatThrows()
    {
        PluginRegistry registry;
        QVERIFY(registry.addFile(fixtureFile("throws")));
        QCOMPARE(createError(registry, QStringLiteral("fixture-throws")),
            QStringLiteral("device \"dev1\": driver \"fixture-throws\" failed: fixture factory "
                           "failed on purpose"));
    }

    void createReportsAFactoryReturningNull()
    {
        PluginRegistry registry;
        QVERIFY(registry.addFile(fixtureFile("returns-null")));
        QCOMPARE(createError(registry, QStringLiteral("fixture-null")),
            QStringLiteral("device \"dev1\": driver \"fixture-null\" returned no device"));
    }

    void createReportsAMissingDeclaredTrait()
    {
        PluginRegistry registry;
        QVERIFY(registry.addFile(fixtureFile("missing-trait")));
        QCOMPARE(createError(registry, QStringLiteral("fixture-missing-trait")),
            QStringLiteral("device \"dev1\": driver \"fixture-missing-trait\" returned a device "
                           "that lacks the declared trait has-position"));
    }

    void createReportsARootObjectThatIsNotAFactory()
    {
        PluginRegistry registry;
        QVERIFY(registry.addFile(fixtureFile("not-a-factory")));
        QCOMPARE(createError(registry, QStringLiteral("fixture-not-a-factory")),
            QStringLiteral("device \"dev1\": plugin %1: its root object (FixtureFactory) is not a "
                           "Benchtop::DriverFactory")
                .arg(fixtureFile("not-a-factory")));
    }

    void createReportsAnUnresolvedSymbolAndRemembersIt()
    {
        const QString path
            = QFileInfo(QStringLiteral(BENCHTOP_FIXTURE_UNRESOLVED)).canonicalFilePath();
        PluginRegistry registry;
        // Its metadata is fine: only loading it can tell.
        QVERIFY(registry.addFile(path));
        const QString first = createError(registry, QStringLiteral("fixture-unresolved"));
        QVERIFY2(first.startsWith(
                     QStringLiteral("device \"dev1\": plugin %1 failed to load: ").arg(path)),
            qPrintable(first));
        QVERIFY2(first.contains(QLatin1String("undefined symbol: benchtop_fixture_never_defined")),
            qPrintable(first));
        QVERIFY(!isMapped(path));
        // Not retried: the same reason at once.
        QCOMPARE(createError(registry, QStringLiteral("fixture-unresolved")), first);
    }

    void createReportsAnUnknownKindListingTheKnownOnes()
    {
        PluginRegistry empty;
        QCOMPARE(createError(empty, QStringLiteral("nope")),
            QStringLiteral(
                "device \"dev1\": unknown driver kind \"nope\" (no driver plugin is known)"));

        PluginRegistry registry;
        registry.addSearchPath(fixtureDir("good"));
        registry.addSearchPath(fixtureDir("throws"));
        registry.scan();
        QCOMPARE(createError(registry, QStringLiteral("nope")),
            QStringLiteral("device \"dev1\": unknown driver kind \"nope\" (known kinds: "
                           "fixture-counter, fixture-throws)"));
    }

    void everyFixtureTogether()
    {
        PluginRegistry registry;
        const QStringList dirs = QDir(QStringLiteral(BENCHTOP_FIXTURE_ROOT))
                                     .entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        QCOMPARE(dirs.size(), 17);
        for (const QString &dir : dirs)
            registry.addSearchPath(QStringLiteral(BENCHTOP_FIXTURE_ROOT "/") + dir);
        registry.scan();
        QCOMPARE(registry.kinds(),
            (QStringList{QStringLiteral("fixture-counter"), QStringLiteral("fixture-dup"),
                QStringLiteral("fixture-missing-trait"), QStringLiteral("fixture-not-a-factory"),
                QStringLiteral("fixture-null"), QStringLiteral("fixture-throws"),
                QStringLiteral("fixture-unresolved"), QStringLiteral("fixture-update-throws")}));
        QStringList refused;
        for (const PluginRefusal &refusal : registry.refusals()) {
            QVERIFY(!refusal.reason.isEmpty());
            QVERIFY(!refusal.reason.contains(QLatin1Char('\n')));
            refused << QFileInfo(refusal.path).dir().dirName();
        }
        QCOMPARE(refused,
            (QStringList{QStringLiteral("default-type"), QStringLiteral("dup-b"),
                QStringLiteral("dup-within"), QStringLiteral("no-drivers"), QStringLiteral("plain"),
                QStringLiteral("text"), QStringLiteral("unknown-trait"),
                QStringLiteral("wrong-abi"), QStringLiteral("wrong-iid")}));
        // Every broken kind fails with a DeviceError, and the good one still works
        // (fixture-update-throws is created fine: it fails later, in tst_pluginfaults).
        for (const QString &kind : registry.kinds()) {
            if (kind == QLatin1String("fixture-counter") || kind == QLatin1String("fixture-dup")
                || kind == QLatin1String("fixture-update-throws"))
                continue;
            QVERIFY2(!createError(registry, kind).isEmpty(), qPrintable(kind));
        }
        QVERIFY(registry.create({QStringLiteral("c"), QStringLiteral("fixture-counter"), {}}));
    }

    void scanLooksOnlyAtLibraryNamesAndInspectsEachFileOnce()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString copy = dir.filePath(QStringLiteral("libcounter.so.1.0"));
        QVERIFY(QFile::copy(goodPlugin(), copy));
        // Two more names for the same file, as a library's symlinks give it.
        QVERIFY(QFile::link(copy, dir.filePath(QStringLiteral("libcounter.so"))));
        QVERIFY(QFile::link(copy, dir.filePath(QStringLiteral("libcounter.so.1"))));
        // Not named like a library, and a subfolder: neither is looked at.
        QVERIFY(QFile::copy(fixtureFile("text"), dir.filePath(QStringLiteral("README.txt"))));
        QVERIFY(QFile::copy(fixtureFile("text"), dir.filePath(QStringLiteral("libtext.sox"))));
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("sub")));
        QVERIFY(QFile::copy(fixtureFile("text"), dir.filePath(QStringLiteral("sub/libtext.so"))));

        PluginRegistry registry;
        registry.addSearchPath(dir.path());
        registry.addSearchPath(dir.path() + QLatin1String("/./")); // the same folder
        registry.addSearchPath(dir.filePath(QStringLiteral("missing"))); // skipped in silence
        QCOMPARE(registry.searchPaths(),
            (QStringList{dir.path(), dir.filePath(QStringLiteral("missing"))}));
        registry.scan();
        registry.scan();
        QCOMPARE(registry.refusals().size(), 0);
        QCOMPARE(registry.plugins().size(), 1);
        QCOMPARE(registry.plugins().first().path, QFileInfo(copy).canonicalFilePath());
        // The same file through the fixture folder is a different file: same kind, refused.
        registry.addSearchPath(fixtureDir("good"));
        registry.scan();
        QCOMPARE(registry.plugins().size(), 1);
        QCOMPARE(registry.refusals().size(), 1);
        QVERIFY(registry.refusals().first().reason.startsWith(
            QLatin1String("driver kind \"fixture-counter\" is already provided by ")));
    }

    void unsafeFoldersAreSaidLoudly()
    {
        QTemporaryDir shared;
        QTemporaryDir mine;
        QTemporaryDir here;
        QVERIFY(shared.isValid() && mine.isValid() && here.isValid());
        QVERIFY(QFile::copy(goodPlugin(), shared.filePath(QStringLiteral("libcounter.so"))));
        // rwxrwxrwx, as a careless chmod leaves it; the sticky bit would change nothing.
        QVERIFY(QFile::setPermissions(shared.path(),
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                | QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
                | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther));
        const QString workingDirectory = QDir::currentPath();
        QVERIFY(QDir::setCurrent(here.path()));

        PluginRegistry registry;
        registry.addSearchPath(mine.path()); // 0700: nothing to say
        registry.addSearchPath(shared.path());
        registry.addSearchPath(QStringLiteral(".")); // the working directory, made absolute
        const QString writable = QStringLiteral("plugin folder %1 is writable by every user: any "
                                                "code put there runs inside Benchtop")
                                     .arg(shared.path());
        const QString working = QStringLiteral("plugin folder %1 is the working directory: any "
                                               "code put there runs inside Benchtop")
                                    .arg(QFileInfo(here.path()).absoluteFilePath());
        QTest::ignoreMessage(QtWarningMsg, qPrintable(writable));
        QTest::ignoreMessage(QtWarningMsg, qPrintable(working));
        registry.scan();
        registry.scan(); // said once
        QVERIFY(QDir::setCurrent(workingDirectory));
        QCOMPARE(registry.warnings(), (QStringList{writable, working}));
        QCOMPARE(registry.plugins().size(), 1); // still searched: a user asked for it
    }

    void addFileTakesAnyFileNameAndRecordsRefusals()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString copy = dir.filePath(QStringLiteral("counter.driver"));
        QVERIFY(QFile::copy(goodPlugin(), copy));

        PluginRegistry registry;
        QVERIFY(registry.addFile(copy));
        QVERIFY(registry.addFile(copy)); // already accepted; not added twice
        QCOMPARE(registry.plugins().size(), 1);
        QVERIFY(registry.create({QStringLiteral("c"), QStringLiteral("fixture-counter"), {}}));

        QVERIFY(!registry.addFile(fixtureFile("wrong-abi")));
        QVERIFY(!registry.addFile(fixtureFile("wrong-abi"))); // refused once
        QVERIFY(!registry.addFile(dir.filePath(QStringLiteral("nothing-here.so"))));
        QVERIFY(!registry.addFile(dir.path()));
        const QList<PluginRefusal> refusals = registry.refusals();
        QCOMPARE(refusals.size(), 3);
        QCOMPARE(
            refusals.at(0).reason, QStringLiteral("plugin ABI 999, but this Benchtop has ABI 3"));
        QCOMPARE(refusals.at(1).path, dir.filePath(QStringLiteral("nothing-here.so")));
        QCOMPARE(refusals.at(1).reason, QStringLiteral("no such file"));
        QCOMPARE(refusals.at(2).reason, QStringLiteral("not a file"));
    }

    // addFile() says itself why it refused a file, KPluginFactory::Result-style, and says the
    // same again for a file it refused before, without recording a second refusal.
    void addFileSaysWhyItRefused_data()
    {
        using Reason = PluginRegistry::Result::ErrorReason;
        QTest::addColumn<QString>("fixture"); // empty: a path that is no file
        QTest::addColumn<Reason>("reason");
        QTest::addColumn<QString>("text"); // how the reason starts
        QTest::newRow("no such file") << QString() << Reason::NoSuchFile << "no such file";
        QTest::newRow("not a library") << "text" << Reason::NotAPlugin << "not a valid ELF object";
        QTest::newRow("not a Qt plugin") << "plain" << Reason::NotAPlugin << "not a Qt plugin";
        QTest::newRow("wrong IID") << "wrong-iid" << Reason::WrongIid << "wrong plugin IID";
        QTest::newRow("other ABI") << "wrong-abi" << Reason::OtherAbi << "plugin ABI 999, but";
        QTest::newRow("malformed") << "no-drivers" << Reason::MalformedMetadata
                                   << "malformed metadata: \"drivers\" is missing";
    }

    void addFileSaysWhyItRefused()
    {
        QFETCH(QString, fixture);
        QFETCH(PluginRegistry::Result::ErrorReason, reason);
        QFETCH(QString, text);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = fixture.isEmpty() ? dir.filePath(QStringLiteral("nothing-here.so"))
                                               : fixtureFile(qPrintable(fixture));
        PluginRegistry registry;
        for (int attempt = 0; attempt < 2; ++attempt) {
            const PluginRegistry::Result result = registry.addFile(path);
            QVERIFY(!result);
            QVERIFY(!result.plugin);
            QCOMPARE(result.errorReason, reason);
            QVERIFY2(result.errorText.startsWith(text), qPrintable(result.errorText));
            QCOMPARE(registry.refusals().size(), 1); // recorded once
            QCOMPARE(registry.refusals().first().reason, result.errorText);
        }
    }

    void addFileGivesThePluginItAcceptedOrWhichKindWasTaken()
    {
        using Reason = PluginRegistry::Result::ErrorReason;
        PluginRegistry registry;
        const PluginRegistry::Result first = registry.addFile(fixtureFile("dup-a"));
        QVERIFY(first);
        QCOMPARE(first.errorReason, Reason::None);
        QVERIFY(first.errorText.isEmpty());
        QCOMPARE(first.plugin->path, fixtureFile("dup-a"));
        QCOMPARE(first.plugin->drivers.size(), 1);
        QCOMPARE(first.plugin->drivers.first().kind, QStringLiteral("fixture-dup"));
        const PluginRegistry::Result again = registry.addFile(fixtureFile("dup-a"));
        QVERIFY(again);
        QCOMPARE(again.plugin->path, first.plugin->path);

        const PluginRegistry::Result taken = registry.addFile(fixtureFile("dup-b"));
        QVERIFY(!taken);
        QCOMPARE(taken.errorReason, Reason::KindTaken);
        QCOMPARE(taken.errorText,
            QStringLiteral("driver kind \"fixture-dup\" is already provided by %1")
                .arg(fixtureFile("dup-a")));
    }

    void defaultSearchPaths()
    {
        const QString appDir = QCoreApplication::applicationDirPath();
        qunsetenv("BENCHTOP_PLUGIN_PATH");
        // The tests run from <build>/tests: inside the build tree, so its plugin folder is in.
        QCOMPARE(PluginRegistry::defaultSearchPaths(),
            (QStringList{
                QDir::cleanPath(appDir + QLatin1String("/../" BENCHTOP_INSTALL_PLUGIN_SUBDIR)),
                QDir::cleanPath(QStringLiteral(BENCHTOP_BUILD_PLUGIN_DIR))}));

        qputenv("BENCHTOP_PLUGIN_PATH", "/opt/a/plugins::/opt/b//plugins/");
        const QStringList paths = PluginRegistry::defaultSearchPaths();
        qunsetenv("BENCHTOP_PLUGIN_PATH");
        QCOMPARE(paths.size(), 4);
        QCOMPARE(paths.mid(2),
            (QStringList{QStringLiteral("/opt/a/plugins"), QStringLiteral("/opt/b/plugins")}));
    }

    void pluginPathFromTheEnvironmentIsScanned()
    {
        qputenv("BENCHTOP_PLUGIN_PATH",
            QFile::encodeName(fixtureDir("good") + QLatin1Char(':') + fixtureDir("wrong-abi")));
        PluginRegistry registry;
        for (const QString &path : PluginRegistry::defaultSearchPaths())
            registry.addSearchPath(path);
        qunsetenv("BENCHTOP_PLUGIN_PATH");
        registry.scan();
        QVERIFY(registry.kinds().contains(QStringLiteral("fixture-counter")));
        bool wrongAbiRefused = false;
        for (const PluginRefusal &refusal : registry.refusals())
            wrongAbiRefused = wrongAbiRefused || refusal.path == fixtureFile("wrong-abi");
        QVERIFY(wrongAbiRefused);
    }

    void addLinkedRegistersAFactoryCompiledIn()
    {
        LinkedFactory factory;
        PluginRegistry registry;
        QVERIFY(registry.addLinked(&factory, json(kLinkedMetadata), QStringLiteral("<linked>")));
        QCOMPARE(registry.plugins().size(), 1);
        QCOMPARE(registry.plugins().first().path, QStringLiteral("<linked>"));
        QCOMPARE(registry.kinds(), QStringList{QStringLiteral("linked-motor")});
        const std::optional<DriverInfo> driver = registry.driver(QStringLiteral("linked-motor"));
        QVERIFY(driver);
        QCOMPARE(driver->field(QStringLiteral("speed"))->defaultValue, QVariant(10.0));

        std::unique_ptr<Device> device
            = registry.create({QStringLiteral("stage"), QStringLiteral("linked-motor"), {}});
        QVERIFY(qobject_cast<HasPosition *>(device.get()));
        QCOMPARE(device->traits(), driver->traits);
        QCOMPARE(factory.created.load(), 1);

        // The same kind again, from a loaded file: the linked one came first.
        const PluginRegistry::Result again
            = registry.addLinked(&factory, json(kLinkedMetadata), QStringLiteral("<again>"));
        QVERIFY(!again);
        QCOMPARE(again.errorReason, PluginRegistry::Result::ErrorReason::KindTaken);
        QCOMPARE(registry.refusals().last().reason,
            QStringLiteral("driver kind \"linked-motor\" is already provided by <linked>"));
    }

    // The driver's own check of a device's settings, for the lab checker: what the factory
    // says, and one error when it throws; nothing for a kind no plugin offers.
    void checkConfigAsksTheDriver()
    {
        LinkedFactory factory;
        PluginRegistry registry;
        QVERIFY(registry.addLinked(&factory, json(kLinkedMetadata), QStringLiteral("<linked>")));
        const auto check = [&](double speed, const QString &kind = QStringLiteral("linked-motor")) {
            return registry.checkConfig(
                {QStringLiteral("stage"), kind, {{QStringLiteral("speed"), speed}}});
        };
        QVERIFY(check(10).isEmpty());
        QCOMPARE(check(80),
            QList<ConfigProblem>{
                ConfigProblem::warning(QStringLiteral("speed"), QStringLiteral("fast"))});
        QVERIFY(check(80, QStringLiteral("no-such-kind")).isEmpty());
        factory.mode = LinkedFactory::Mode::ThrowsStd;
        QCOMPARE(check(10),
            QList<ConfigProblem>{ConfigProblem::error(
                {}, QStringLiteral("the check of driver \"linked-motor\" failed: no way"))});
        factory.mode = LinkedFactory::Mode::ThrowsNonStd;
        QCOMPARE(check(10),
            QList<ConfigProblem>{ConfigProblem::error({},
                QStringLiteral("the check of driver \"linked-motor\" failed with an exception "
                               "that is not a std::exception"))});
        QCOMPARE(factory.created.load(), 0); // checking creates nothing
    }

    void addLinkedTakesQPluginLoaderStyleMetadata()
    {
        // What QPluginLoader::metaData() / QStaticPlugin::metaData() return for the good fixture.
        QPluginLoader loader(goodPlugin());
        const QJsonObject whole = loader.metaData();
        QVERIFY(whole.contains(QLatin1String("MetaData")));

        LinkedFactory factory;
        PluginRegistry registry;
        QVERIFY(registry.addLinked(&factory, whole, QStringLiteral("<static>")));
        QCOMPARE(registry.kinds(), QStringList{QStringLiteral("fixture-counter")});

        QJsonObject otherIid = whole;
        otherIid.insert(QLatin1String("IID"), QStringLiteral("org.example.Other"));
        PluginRegistry other;
        QVERIFY(!other.addLinked(&factory, otherIid, QStringLiteral("<static>")));
        QCOMPARE(other.refusals().first().reason,
            QStringLiteral("wrong plugin IID \"org.example.Other\": a Benchtop driver plugin has "
                           "IID \"dev.benchtop.DriverFactory\""));
    }

    void addLinkedRefusesWhatIsNotAFactoryOrHasBadMetadata()
    {
        QObject notAFactory;
        LinkedFactory factory;
        PluginRegistry registry;
        const PluginRegistry::Result notOne
            = registry.addLinked(&notAFactory, json(kLinkedMetadata), QStringLiteral("a"));
        QVERIFY(!notOne);
        QCOMPARE(notOne.errorReason, PluginRegistry::Result::ErrorReason::NotAFactory);
        QVERIFY(!registry.addLinked(nullptr, json(kLinkedMetadata), QStringLiteral("b")));
        QVERIFY(!registry.addLinked(&factory, json(R"({"abi": 1})"), QStringLiteral("c")));
        QVERIFY(!registry.addLinked(&factory, json(R"({"abi": 3})"), QStringLiteral("d")));
        QCOMPARE(registry.plugins().size(), 0);
        const QList<PluginRefusal> refusals = registry.refusals();
        QCOMPARE(refusals.size(), 4);
        QCOMPARE(refusals.at(0).reason,
            QStringLiteral("the linked object (QObject) is not a Benchtop::DriverFactory"));
        QCOMPARE(refusals.at(1).reason, QStringLiteral("no factory object"));
        QCOMPARE(
            refusals.at(2).reason, QStringLiteral("plugin ABI 1, but this Benchtop has ABI 3"));
        QCOMPARE(refusals.at(3).path, QStringLiteral("d"));
        QVERIFY(refusals.at(3).reason.startsWith(
            QLatin1String("malformed metadata: \"name\" is missing")));
    }

    void createChecksWhatTheFactoryReturns_data()
    {
        QTest::addColumn<LinkedFactory::Mode>("mode");
        QTest::addColumn<QString>("error");
        QTest::newRow("wrong name")
            << LinkedFactory::Mode::WrongName
            << "device \"dev1\": driver \"linked-motor\" returned a device of kind "
               "\"linked-motor\" named \"someone-else\"";
        QTest::newRow("wrong kind")
            << LinkedFactory::Mode::WrongKind
            << "device \"dev1\": driver \"linked-motor\" returned a device of kind "
               "\"linked-other\" named \"dev1\"";
        QTest::newRow("missing trait") << LinkedFactory::Mode::PlainDevice
                                       << "device \"dev1\": driver \"linked-motor\" returned a "
                                          "device that lacks the declared trait has-position";
        QTest::newRow("throws a non-std exception")
            << LinkedFactory::Mode::ThrowsNonStd
            << "device \"dev1\": driver \"linked-motor\" failed with an exception that is not a "
               "std::exception";
    }

    void createChecksWhatTheFactoryReturns()
    {
        QFETCH(LinkedFactory::Mode, mode);
        QFETCH(QString, error);
        LinkedFactory factory;
        factory.mode = mode;
        PluginRegistry registry;
        QVERIFY(registry.addLinked(&factory, json(kLinkedMetadata), QStringLiteral("<linked>")));
        QCOMPARE(createError(registry, QStringLiteral("linked-motor")), error);
        // A failed create() leaves the kind usable.
        factory.mode = LinkedFactory::Mode::Good;
        QCOMPARE(createError(registry, QStringLiteral("linked-motor")), QString());
    }

    void usableFromSeveralThreadsAtOnce()
    {
        LinkedFactory factory;
        PluginRegistry registry;
        QVERIFY(registry.addLinked(&factory, json(kLinkedMetadata), QStringLiteral("<linked>")));
        registry.addSearchPath(fixtureDir("good"));
        std::atomic<int> failures = 0;
        auto work = [&] {
            for (int i = 0; i < 50; ++i) {
                try {
                    auto motor = registry.create(
                        {QStringLiteral("m"), QStringLiteral("linked-motor"), {}});
                    auto counter = registry.create(
                        {QStringLiteral("c"), QStringLiteral("fixture-counter"), {}});
                    if (!motor || !counter)
                        ++failures;
                } catch (const DeviceError &) {
                    // fixture-counter may not be scanned yet
                }
            }
        };
        std::unique_ptr<QThread> a(QThread::create(work));
        std::unique_ptr<QThread> b(QThread::create(work));
        a->start();
        b->start();
        for (int i = 0; i < 20; ++i) {
            registry.scan();
            QVERIFY(!registry.kinds().isEmpty());
            QVERIFY(!registry.plugins().isEmpty());
        }
        QVERIFY(a->wait(30000));
        QVERIFY(b->wait(30000));
        QCOMPARE(failures.load(), 0);
        QCOMPARE(registry.plugins().size(), 2);
        QCOMPARE(registry.refusals().size(), 0);
    }

    void parsePluginMetadata_data();
    void parsePluginMetadata();
    void parsePluginMetadataConvertsEveryDefault();
};

namespace {

// A plugin with one driver whose config is `fields` (a JSON array's contents).
QByteArray withFields(const char *fields)
{
    return QByteArray(R"({"abi": 3, "name": "p", "version": "1", "drivers": [)"
                      R"({"kind": "k", "traits": [], "config": [)")
        + fields + "]}]}";
}

QByteArray withDrivers(const char *drivers)
{
    return QByteArray(R"({"abi": 3, "name": "p", "version": "1", "drivers": [)") + drivers + "]}";
}

} // namespace

void TestPluginRegistry::parsePluginMetadata_data()
{
    QTest::addColumn<QByteArray>("metadata");
    QTest::addColumn<QString>("error"); // exactly; "" for valid metadata

    QTest::newRow("valid, minimal") << withDrivers(R"({"kind": "k"})") << "";
    QTest::newRow("valid, every field")
        << withFields(R"({"name": "a", "type": "double", "default": 1, "min": 0, "max": 2,
                          "units": "mm", "help": "h"},
                         {"name": "b", "type": "string", "options": ["x", "y"], "default": "y"},
                         {"name": "c", "type": "bindings", "default": {"in1": "m.home"}})")
        << "";

    // The ABI first.
    QTest::newRow("abi missing") << QByteArray(R"({"name": "p"})")
                                 << "\"abi\" is missing: the metadata must give the plugin ABI it "
                                    "was built for (this Benchtop has ABI 3)";
    QTest::newRow("abi a string") << QByteArray(R"({"abi": "1"})")
                                  << "\"abi\" must be an integer (this Benchtop has ABI 3)";
    QTest::newRow("abi a fraction")
        << QByteArray(R"({"abi": 2.5})") << "\"abi\" must be an integer (this Benchtop has ABI 3)";
    QTest::newRow("abi other, checked before anything else") << QByteArray(
        R"({"abi": 999, "bogus": true})") << "plugin ABI 999, but this Benchtop has ABI 3";
    QTest::newRow("abi 0") << QByteArray(R"({"abi": 0})")
                           << "plugin ABI 0, but this Benchtop has ABI 3";

    // The plugin.
    QTest::newRow("name missing") << QByteArray(R"({"abi": 3, "version": "1", "drivers": []})")
                                  << "\"name\" is missing";
    QTest::newRow("name empty") << QByteArray(R"({"abi": 3, "name": "", "version": "1"})")
                                << "\"name\" must be a non-empty string";
    QTest::newRow("version a number") << QByteArray(R"({"abi": 3, "name": "p", "version": 1})")
                                      << "\"version\" must be a non-empty string";
    QTest::newRow("description a number")
        << QByteArray(R"({"abi": 3, "name": "p", "version": "1", "description": 3})")
        << "\"description\" must be a string";
    QTest::newRow("unknown key")
        << QByteArray(R"({"abi": 3, "name": "p", "version": "1", "drivers": [], "author": "x"})")
        << "unknown key \"author\" (known: abi, name, version, description, drivers)";
    QTest::newRow("drivers missing")
        << QByteArray(R"({"abi": 3, "name": "p", "version": "1"})")
        << "\"drivers\" is missing (the driver kinds the plugin offers)";
    QTest::newRow("drivers an object")
        << QByteArray(R"({"abi": 3, "name": "p", "version": "1", "drivers": {}})")
        << "\"drivers\" must be an array of driver kinds";
    QTest::newRow("drivers empty") << withDrivers("")
                                   << "\"drivers\" is empty: a plugin offers at least one driver "
                                      "kind";

    // Each driver.
    QTest::newRow("driver a string") << withDrivers(R"("k")") << "drivers[0] must be an object";
    QTest::newRow("kind missing") << withDrivers(R"({"traits": []})")
                                  << "drivers[0]: \"kind\" is missing";
    QTest::newRow("kind with a space")
        << withDrivers(R"({"kind": "my motor"})")
        << "drivers[0]: \"kind\" must be a name of letters, digits, '-', '_' or '.'";
    QTest::newRow("kind declared twice")
        << withDrivers(R"({"kind": "a"}, {"kind": "b"}, {"kind": "a"})")
        << "drivers[2] (\"a\"): kind \"a\" is declared twice (also drivers[0])";
    QTest::newRow("driver unknown key")
        << withDrivers(R"({"kind": "k", "trait": []})")
        << "drivers[0] (\"k\"): unknown key \"trait\" (known: kind, description, traits, config)";
    QTest::newRow("traits a string") << withDrivers(R"({"kind": "k", "traits": "has-position"})")
                                     << "drivers[0] (\"k\"): \"traits\" must be an array of trait "
                                        "names";
    QTest::newRow("trait unknown")
        << withDrivers(R"({"kind": "k", "traits": ["has-wings"]})")
        << "drivers[0] (\"k\"): unknown trait \"has-wings\" (known: is-daemon, has-position, "
           "has-limits, is-homeable, has-turret, is-sensor, has-measure-trigger, has-mapping, "
           "is-discrete, is-stoppable, has-digital-io)";
    QTest::newRow("trait twice") << withDrivers(
        R"({"kind": "k", "traits": ["is-sensor", "is-sensor"]})")
                                 << "drivers[0] (\"k\"): trait \"is-sensor\" is listed twice";
    QTest::newRow("config an object")
        << withDrivers(R"({"kind": "k", "config": {}})")
        << "drivers[0] (\"k\"): \"config\" must be an array of fields";

    // Each config field.
    QTest::newRow("field a string")
        << withFields(R"("speed")") << "drivers[0] (\"k\"): config[0] must be an object";
    QTest::newRow("field name missing")
        << withFields(R"({"type": "int"})") << "drivers[0] (\"k\"): config[0]: \"name\" is missing";
    QTest::newRow("field name with a dot-less space")
        << withFields(R"({"name": "a b", "type": "int"})")
        << "drivers[0] (\"k\"): config[0]: \"name\" \"a b\" must be letters, digits, '-', '_' or "
           "'.'";
    QTest::newRow("field reserved")
        << withFields(R"({"name": "driver", "type": "string"})")
        << "drivers[0] (\"k\"): config[0] (\"driver\"): \"driver\" is reserved (a lab table's "
           "\"driver\" names the driver kind)";
    QTest::newRow("field port reserved")
        << withFields(R"({"name": "port", "type": "int", "default": 5025})")
        << "drivers[0] (\"k\"): config[0] (\"port\"): \"port\" is reserved (a lab table's "
           "\"port\" is the port benchtopd serves the device on; call an instrument's own port "
           "\"tcp_port\" or \"serial_port\")";
    QTest::newRow("field twice")
        << withFields(R"({"name": "speed", "type": "double"}, {"name": "speed", "type": "int"})")
        << "drivers[0] (\"k\"): config[1] (\"speed\"): field \"speed\" is declared twice (also "
           "config[0])";
    QTest::newRow("field unknown key")
        << withFields(R"({"name": "speed", "type": "double", "defualt": 1})")
        << "drivers[0] (\"k\"): config[0] (\"speed\"): unknown key \"defualt\" (known: name, "
           "type, default, min, max, options, range, units, help, group, when)";
    // The form's hints: a section, and a key that matters with one value of a choice only.
    QTest::newRow("valid, group and when")
        << withFields(R"({"name": "t", "type": "string", "options": ["tcp", "serial"],
                          "default": "tcp"},
                         {"name": "baud", "type": "int", "default": 9600,
                          "when": {"t": "serial"}, "group": "Line"})")
        << "";
    QTest::newRow("group empty")
        << withFields(R"({"name": "a", "type": "int", "default": 1, "group": ""})")
        << "drivers[0] (\"k\"): config[0] (\"a\"): \"group\" must be a non-empty string";
    QTest::newRow("when a string")
        << withFields(R"({"name": "a", "type": "int", "default": 1, "when": "t"})")
        << "drivers[0] (\"k\"): config[0] (\"a\"): \"when\" must be an object of one key and "
           "the string it must hold";
    QTest::newRow("when names no choice")
        << withFields(R"({"name": "a", "type": "int", "default": 1, "when": {"b": "x"}},
                         {"name": "b", "type": "string", "default": "x"})")
        << "drivers[0] (\"k\"): config[0] (\"a\"): \"when\" must name another key of this "
           "kind that has options, and one of them, not \"b\" = \"x\"";
    QTest::newRow("when names no option")
        << withFields(R"({"name": "a", "type": "int", "default": 1, "when": {"b": "z"}},
                         {"name": "b", "type": "string", "options": ["x"], "default": "x"})")
        << "drivers[0] (\"k\"): config[0] (\"a\"): \"when\" must name another key of this "
           "kind that has options, and one of them, not \"b\" = \"z\"";
    QTest::newRow("type missing") << withFields(
        R"({"name": "speed"})") << "drivers[0] (\"k\"): config[0] (\"speed\"): \"type\" is missing";
    QTest::newRow("type unknown")
        << withFields(R"({"name": "speed", "type": "float"})")
        << "drivers[0] (\"k\"): config[0] (\"speed\"): unknown type \"float\" (known: bool, int, "
           "double, string, array<string>, array<double>, map<string>, map<double>, map, "
           "bindings)";
    QTest::newRow("units a number")
        << withFields(R"({"name": "speed", "type": "double", "units": 1})")
        << "drivers[0] (\"k\"): config[0] (\"speed\"): \"units\" must "
           "be a string";
    QTest::newRow("help a list") << withFields(R"({"name": "speed", "type": "double", "help": []})")
                                 << "drivers[0] (\"k\"): config[0] (\"speed\"): \"help\" must be a "
                                    "string";

    // Defaults of the wrong type: ConfigField::check, as for a lab value.
    const char *where = "drivers[0] (\"k\"): config[0] (\"f\"): ";
    auto wrongDefault = [where](const char *name, const char *field, const char *message) {
        QTest::newRow(name) << withFields(field)
                            << QString::fromLatin1(where) + QLatin1String(message);
    };
    wrongDefault("bool default", R"({"name": "f", "type": "bool", "default": 1})",
        "default must be a boolean (true or false), not 1");
    wrongDefault("int default a fraction", R"({"name": "f", "type": "int", "default": 1.5})",
        "default must be an integer, not 1.5");
    wrongDefault("int default a string", R"({"name": "f", "type": "int", "default": "1"})",
        "default must be an integer, not a string");
    wrongDefault("double default a string", R"({"name": "f", "type": "double", "default": "10"})",
        "default must be a number, not a string");
    wrongDefault("double default null", R"({"name": "f", "type": "double", "default": null})",
        "default must be a number, not null");
    wrongDefault("string default a number", R"({"name": "f", "type": "string", "default": 3})",
        "default must be a string, not 3");
    wrongDefault("array<string> default with a number",
        R"({"name": "f", "type": "array<string>", "default": ["a", 1]})",
        "default[1] must be a string, not 1");
    wrongDefault("array<double> default a number",
        R"({"name": "f", "type": "array<double>", "default": 1})",
        "default must be an array of numbers, not 1");
    wrongDefault("map<string> default with a number",
        R"({"name": "f", "type": "map<string>", "default": {"a": 1}})",
        "default.a must be a string, not 1");
    wrongDefault("map<double> default with a string",
        R"({"name": "f", "type": "map<double>", "default": {"a": "1"}})",
        "default.a must be a number, not a string");
    wrongDefault("map default an array", R"({"name": "f", "type": "map", "default": []})",
        "default must be a table, not an array");
    wrongDefault("bindings default with a number",
        R"({"name": "f", "type": "bindings", "default": {"in1": 2}})",
        "default.in1 must be \"device.message\", not 2");

    // Limits and options.
    wrongDefault("min above max", R"({"name": "f", "type": "double", "min": 5, "max": 1})",
        "\"min\" (5) is greater than \"max\" (1)");
    wrongDefault(
        "min a string", R"({"name": "f", "type": "int", "min": "0"})", "\"min\" must be a number");
    wrongDefault("max on a string", R"({"name": "f", "type": "string", "max": 3})",
        "\"max\" applies only to numbers (int, double, array<double>, map<double>), not to "
        "string");
    wrongDefault("default below min",
        R"({"name": "f", "type": "double", "default": -1, "min": 0, "max": 1000})",
        "default must be at least 0, not -1");
    wrongDefault("default above max",
        R"({"name": "f", "type": "int", "default": 2000, "min": 0, "max": 1000})",
        "default must be at most 1000, not 2000");
    wrongDefault("list element above max",
        R"({"name": "f", "type": "array<double>", "default": [0, 2.5], "max": 2})",
        "default[1] must be at most 2, not 2.5");
    wrongDefault("map value below min",
        R"({"name": "f", "type": "map<double>", "default": {"a": -3}, "min": 0})",
        "default.a must be at least 0, not -3");
    wrongDefault("options on an int", R"({"name": "f", "type": "int", "options": ["1"]})",
        "\"options\" applies only to type string, not to int");
    wrongDefault("range on a double", R"({"name": "f", "type": "double", "range": true})",
        "\"range\" applies only to type array<double>, not to double");
    wrongDefault("range not a bool", R"({"name": "f", "type": "array<double>", "range": 1})",
        "\"range\" must be true or false");
    wrongDefault("reversed range default",
        R"({"name": "f", "type": "array<double>", "range": true, "default": [5, 1]})",
        "default is [5, 1]: the lower end is above the upper");
    wrongDefault("options empty", R"({"name": "f", "type": "string", "options": []})",
        "\"options\" must be a non-empty array of strings");
    wrongDefault("options with a number", R"({"name": "f", "type": "string", "options": ["a", 1]})",
        "\"options\" must be a non-empty array of strings");
    wrongDefault("option twice", R"({"name": "f", "type": "string", "options": ["a", "a"]})",
        "option \"a\" is listed twice");
    wrongDefault("default not an option",
        R"({"name": "f", "type": "string", "options": ["slow", "fast"], "default": "medium"})",
        "default must be one of \"slow\", \"fast\", not \"medium\"");
}

void TestPluginRegistry::parsePluginMetadata()
{
    QFETCH(QByteArray, metadata);
    QFETCH(QString, error);
    QJsonParseError jsonError;
    const QJsonObject object = QJsonDocument::fromJson(metadata, &jsonError).object();
    QCOMPARE(jsonError.error, QJsonParseError::NoError);

    QString message = QStringLiteral("(untouched)");
    const std::optional<PluginInfo> info = Benchtop::parsePluginMetadata(object, &message);
    QCOMPARE(message, error);
    QCOMPARE(info.has_value(), error.isEmpty());
    QVERIFY(!message.contains(QLatin1Char('\n')));
    // The error pointer is optional.
    QCOMPARE(Benchtop::parsePluginMetadata(object, nullptr).has_value(), error.isEmpty());
}

void TestPluginRegistry::parsePluginMetadataConvertsEveryDefault()
{
    const QJsonObject object = json(R"({
        "abi": 3, "name": "sim", "version": "0.1.0", "description": "Simulated",
        "drivers": [{"kind": "sim-motor", "description": "A motor",
                     "traits": ["is-homeable", "has-position", "is-daemon"],
                     "config": [
            {"name": "speed", "type": "double", "default": 10, "min": 0, "max": 1000,
             "units": "mm/s", "help": "Top speed"},
            {"name": "steps", "type": "int", "default": 200},
            {"name": "enabled", "type": "bool", "default": true},
            {"name": "address", "type": "string"},
            {"name": "mode", "type": "string", "options": ["fast", "fine"], "default": "fine"},
            {"name": "names", "type": "array<string>", "default": ["a", "b"]},
            {"name": "limits", "type": "array<double>", "default": [0, 25.5]},
            {"name": "labels", "type": "map<string>", "default": {"x": "X"}},
            {"name": "slots", "type": "map<double>", "default": {"red": 1, "blue": 2.5}},
            {"name": "extra", "type": "map", "default": {"a": [1, "b"]}},
            {"name": "bindings", "type": "bindings", "default": {}}
        ]}]})");
    QString error;
    const std::optional<PluginInfo> info = Benchtop::parsePluginMetadata(object, &error);
    QVERIFY2(info, qPrintable(error));
    QCOMPARE(info->name, QStringLiteral("sim"));
    QCOMPARE(info->version, QStringLiteral("0.1.0"));
    QCOMPARE(info->description, QStringLiteral("Simulated"));
    QCOMPARE(info->abi, kPluginAbi);
    QVERIFY(info->path.isEmpty());
    QCOMPARE(info->drivers.size(), 1);
    const DriverInfo &driver = info->drivers.first();
    QCOMPARE(driver.description, QStringLiteral("A motor"));
    // is-daemon once and first; knownTraits() order, which is Device::traits()' order.
    QCOMPARE(driver.traits,
        (QStringList{QStringLiteral("is-daemon"), QStringLiteral("has-position"),
            QStringLiteral("is-homeable")}));
    QCOMPARE(driver.config.size(), 11);

    const ConfigField *speed = driver.field(QStringLiteral("speed"));
    QVERIFY(speed->type == ValueType::Double);
    QCOMPARE(speed->defaultValue.metaType(), QMetaType::fromType<double>()); // 10 -> 10.0
    QCOMPARE(speed->defaultValue.toDouble(), 10.0);
    QCOMPARE(speed->minimum, std::optional<double>(0));
    QCOMPARE(speed->maximum, std::optional<double>(1000));
    QCOMPARE(speed->units, QStringLiteral("mm/s"));
    QCOMPARE(speed->help, QStringLiteral("Top speed"));
    QVERIFY(!speed->required());

    const ConfigField *steps = driver.field(QStringLiteral("steps"));
    QCOMPARE(steps->defaultValue.metaType(), QMetaType::fromType<qlonglong>());
    QCOMPARE(steps->defaultValue.toLongLong(), 200);
    QCOMPARE(driver.field(QStringLiteral("enabled"))->defaultValue, QVariant(true));
    QVERIFY(driver.field(QStringLiteral("address"))->required());
    const ConfigField *mode = driver.field(QStringLiteral("mode"));
    QCOMPARE(mode->options, (QStringList{QStringLiteral("fast"), QStringLiteral("fine")}));
    QCOMPARE(mode->defaultValue, QVariant(QStringLiteral("fine")));
    QCOMPARE(driver.field(QStringLiteral("names"))->defaultValue,
        QVariant(QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    const QVariantList limits = driver.field(QStringLiteral("limits"))->defaultValue.toList();
    QCOMPARE(limits.size(), 2);
    QCOMPARE(limits.at(0).metaType(), QMetaType::fromType<double>());
    QCOMPARE(limits.at(1).toDouble(), 25.5);
    QCOMPARE(driver.field(QStringLiteral("labels"))->defaultValue,
        QVariant(QVariantMap{{QStringLiteral("x"), QStringLiteral("X")}}));
    const QVariantMap slots = driver.field(QStringLiteral("slots"))->defaultValue.toMap();
    QCOMPARE(slots.value(QStringLiteral("red")).metaType(), QMetaType::fromType<double>());
    QCOMPARE(slots.value(QStringLiteral("blue")).toDouble(), 2.5);
    const QVariantMap extra = driver.field(QStringLiteral("extra"))->defaultValue.toMap();
    QCOMPARE(extra.value(QStringLiteral("a")).toList().size(), 2);
    const ConfigField *bindings = driver.field(QStringLiteral("bindings"));
    QVERIFY(bindings->type == ValueType::Bindings);
    QVERIFY(bindings->defaultValue.isValid());
    QCOMPARE(bindings->defaultValue.metaType(), QMetaType::fromType<QVariantMap>());
    QVERIFY(!bindings->required());
}

QTEST_GUILESS_MAIN(TestPluginRegistry)
#include "tst_pluginregistry.moc"
