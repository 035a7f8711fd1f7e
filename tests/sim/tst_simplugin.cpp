// SPDX-License-Identifier: MIT
// The sim plugin, loaded through QPluginLoader from the build tree and linked directly: its
// metadata is sim.json, each kind it declares is created with its declared traits, its schema is
// well formed, and every key of the schema is read by the driver.
#include "simtestsupport.h"
#include "testsupport.h"

#include <simfactory.h>

#include <device/deviceerror.h>
#include <device/dispatch.h>
#include <device/propertyinfo.h>
#include <device/traits.h>
#include <plugins/driverfactory.h>

#include <QJsonArray>
#include <QPluginLoader>
#include <QSet>
#include <QTest>

#include <memory>

using namespace Benchtop;
using namespace Benchtop::SimTest;

namespace {

QStringList jsonKinds()
{
    QStringList kinds;
    for (const QJsonValue driver : metadata().value(QLatin1String("drivers")).toArray())
        kinds << driver.toObject().value(QLatin1String("kind")).toString();
    return kinds;
}

/// is-daemon plus the kind's traits, as Device::traits() lists them.
QStringList jsonTraits(const QString &kind)
{
    QStringList traits{QLatin1String(Trait::IsDaemon)};
    for (const QJsonValue trait : driverEntry(kind).value(QLatin1String("traits")).toArray())
        traits << trait.toString();
    return traits;
}

/// Creates every kind through `factory` and checks it against the metadata.
void checkFactory(DriverFactory &factory)
{
    for (const QString &kind : jsonKinds()) {
        std::unique_ptr<Device, StopAndDelete> device(
            factory.create(settings(kind, {}, kind + QStringLiteral("-1"))));
        QVERIFY(device);
        QCOMPARE(device->kind(), kind);
        QCOMPARE(device->name(), kind + QStringLiteral("-1"));
        QCOMPARE(device->traits(), jsonTraits(kind));
        QVERIFY(device->config() == config(kind));
        device->start();
        QCOMPARE(toString(device->status()), QStringLiteral("ready"));
        QCOMPARE(invoke(*device, QStringLiteral("id")).toMap().value(QStringLiteral("model")),
            QVariant(kind));
    }
    try {
        std::unique_ptr<Device> device(
            factory.create({QStringLiteral("x"), QStringLiteral("sim-laser"), {}}));
        QFAIL("an unknown kind was created");
    } catch (const DeviceError &e) {
        QVERIFY2(e.message().contains(QStringLiteral("no driver kind \"sim-laser\"")),
            qPrintable(e.message()));
    }
}

} // namespace

class TestSimPlugin : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void theMetadataIsSimJson()
    {
        QPluginLoader loader(QStringLiteral(BENCHTOP_SIM_PLUGIN_FILE));
        const QJsonObject metaData = loader.metaData();
        QCOMPARE(metaData.value(QLatin1String("IID")).toString(),
            QStringLiteral(BENCHTOP_DRIVER_FACTORY_IID));
        QCOMPARE(
            metaData.value(QLatin1String("className")).toString(), QStringLiteral("SimFactory"));
        QCOMPARE(metaData.value(QLatin1String("MetaData")).toObject(), metadata());
        QCOMPARE(metadata().value(QLatin1String("abi")).toInt(), kPluginAbi);
        QCOMPARE(metadata().value(QLatin1String("name")).toString(), QStringLiteral("sim"));
    }

    void loadedThroughQPluginLoader()
    {
        QPluginLoader loader(QStringLiteral(BENCHTOP_SIM_PLUGIN_FILE));
        QObject *root = loader.instance();
        QVERIFY2(root, qPrintable(loader.errorString()));
        auto *factory = qobject_cast<DriverFactory *>(root);
        QVERIFY(factory);
        checkFactory(*factory);

        // A device from the plugin's own copy of the code runs on this thread's scheduler.
        std::unique_ptr<Device, StopAndDelete> motor(
            factory->create(settings(QStringLiteral("sim-motor"),
                {{QStringLiteral("speed"), 100.0}, {QStringLiteral("acceleration"), 1000.0}})));
        motor->start();
        invoke(*motor, QStringLiteral("set_position"), {5.0});
        QVERIFY(motor->busy());
        QTRY_VERIFY(!motor->busy());
        QCOMPARE(invoke(*motor, QStringLiteral("get_position")), QVariant(5.0));
    }

    void linkedDirectly()
    {
        Sim::SimFactory factory;
        QCOMPARE(Sim::SimFactory::kinds(), jsonKinds());
        checkFactory(factory);
    }

    void theSchemaIsWellFormed()
    {
        const QStringList known = knownTraits();
        for (const QString &kind : jsonKinds()) {
            const QJsonObject entry = driverEntry(kind);
            QVERIFY2(
                !entry.value(QLatin1String("description")).toString().isEmpty(), qPrintable(kind));
            for (const QJsonValue trait : entry.value(QLatin1String("traits")).toArray()) {
                QVERIFY2(known.contains(trait.toString()), qPrintable(trait.toString()));
                QVERIFY(trait.toString() != QLatin1String(Trait::IsDaemon));
            }
            QSet<QString> names;
            for (const QJsonValue value : entry.value(QLatin1String("config")).toArray()) {
                const QJsonObject field = value.toObject();
                const QString name = field.value(QLatin1String("name")).toString();
                const QString where = kind + QLatin1Char('.') + name;
                QVERIFY2(!name.isEmpty() && name != QLatin1String("driver"), qPrintable(where));
                QVERIFY2(!names.contains(name), qPrintable(where));
                names.insert(name);
                QVERIFY2(
                    !field.value(QLatin1String("help")).toString().isEmpty(), qPrintable(where));
                const std::optional<ValueType> type
                    = valueTypeFromString(field.value(QLatin1String("type")).toString());
                QVERIFY2(type, qPrintable(where));
                QVERIFY2(field.contains(QLatin1String("default")), qPrintable(where));
                const QJsonValue def = field.value(QLatin1String("default"));
                const QJsonValue min = field.value(QLatin1String("min"));
                const QJsonValue max = field.value(QLatin1String("max"));
                switch (*type) {
                case ValueType::Bool:
                    QVERIFY2(def.isBool(), qPrintable(where));
                    break;
                case ValueType::Int:
                case ValueType::Double:
                    QVERIFY2(def.isDouble(), qPrintable(where));
                    if (*type == ValueType::Int)
                        QVERIFY2(def.toDouble() == std::floor(def.toDouble()), qPrintable(where));
                    QVERIFY2(
                        min.isUndefined() || min.toDouble() <= def.toDouble(), qPrintable(where));
                    QVERIFY2(
                        max.isUndefined() || def.toDouble() <= max.toDouble(), qPrintable(where));
                    break;
                case ValueType::String: {
                    QVERIFY2(def.isString(), qPrintable(where));
                    const QJsonArray options = field.value(QLatin1String("options")).toArray();
                    QVERIFY2(options.isEmpty() || options.contains(def), qPrintable(where));
                    break;
                }
                case ValueType::StringList:
                case ValueType::DoubleList:
                    QVERIFY2(def.isArray(), qPrintable(where));
                    for (const QJsonValue item : def.toArray())
                        QVERIFY2(*type == ValueType::StringList ? item.isString() : item.isDouble(),
                            qPrintable(where));
                    break;
                case ValueType::StringMap:
                case ValueType::DoubleMap:
                case ValueType::Map:
                case ValueType::Bindings:
                    QVERIFY2(def.isObject(), qPrintable(where));
                    break;
                }
            }
        }
    }

    void everySchemaKeyIsRead_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("key");
        for (const QString &kind : jsonKinds()) {
            for (const QJsonValue field :
                driverEntry(kind).value(QLatin1String("config")).toArray()) {
                const QString key = field.toObject().value(QLatin1String("name")).toString();
                QTest::addRow("%s %s", qPrintable(kind), qPrintable(key)) << kind << key;
            }
        }
    }

    void everySchemaKeyIsRead()
    {
        // A value no key accepts: the driver must refuse it, naming the key (a key the driver
        // never reads would be accepted silently).
        QFETCH(QString, kind);
        QFETCH(QString, key);
        Sim::SimFactory factory;
        const QVariant bad = QVariantList{QVariantMap{}};
        try {
            std::unique_ptr<Device, StopAndDelete> device(
                factory.create(settings(kind, {{key, bad}})));
            QFAIL("accepted");
        } catch (const DeviceError &e) {
            QVERIFY2(e.message().startsWith(QStringLiteral("dut: config key %1 ").arg(key)),
                qPrintable(e.message()));
        }
    }
};

QTEST_GUILESS_MAIN(TestSimPlugin)
#include "tst_simplugin.moc"
