// SPDX-License-Identifier: MIT
// The built-in demo lab (resources/labs/demo.toml): it is in the Qt resources, every table names
// a sim kind and only keys of its schema, every device can be created from it, the two signals
// run at 10 Hz and 100 Hz, and the foot switch is bound to a message the spectrometer offers.
// Read with toml++ directly, so that this test does not depend on the lab layer.
#include "simtestsupport.h"
#include "testsupport.h"

#include <simfactory.h>

#include <device/dispatch.h>
#include <device/traits.h>

#include <QFile>
#include <QTest>

#include <toml++/toml.h>

#include <map>
#include <memory>

using namespace Benchtop;
using namespace Benchtop::SimTest;

namespace {

QVariant toVariant(const toml::node &node)
{
    if (auto v = node.as_integer())
        return QVariant::fromValue(qint64(v->get()));
    if (auto v = node.as_floating_point())
        return v->get();
    if (auto v = node.as_boolean())
        return v->get();
    if (auto v = node.as_string())
        return QString::fromStdString(v->get());
    if (auto array = node.as_array()) {
        QVariantList list;
        for (const toml::node &item : *array)
            list << toVariant(item);
        return list;
    }
    if (auto table = node.as_table()) {
        QVariantMap map;
        for (const auto &[key, value] : *table)
            map.insert(QString::fromStdString(std::string(key.str())), toVariant(value));
        return map;
    }
    return {};
}

QByteArray demoFile()
{
    QFile file(QStringLiteral(BENCHTOP_DEMO_LAB));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// Table name -> its keys, in the file.
QVariantMap demoLab()
{
    const QByteArray text = demoFile();
    return toVariant(toml::parse(std::string_view(text.constData(), size_t(text.size())))).toMap();
}

} // namespace

class TestSimDemoLab : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void itIsBuiltIntoTheResources()
    {
        QFile resource(QStringLiteral(":/benchtop/labs/demo.toml"));
        QVERIFY(resource.open(QIODevice::ReadOnly));
        QCOMPARE(resource.readAll(), demoFile());
    }

    void itHasOneOfEachKind()
    {
        const QVariantMap lab = demoLab();
        QMap<QString, int> kinds;
        for (auto it = lab.cbegin(); it != lab.cend(); ++it)
            ++kinds[it->toMap().value(QStringLiteral("driver")).toString()];
        QCOMPARE(kinds.keys().size(), Sim::SimFactory::kinds().size());
        for (const QString &kind : Sim::SimFactory::kinds())
            QVERIFY2(kinds.value(kind) >= 1, qPrintable(kind));
        QCOMPARE(kinds.value(QStringLiteral("sim-signal")), 2);
        for (const char *name : {"stage-x", "spectrometer", "filters", "accelerometer", "panel",
                 "signal-10hz", "signal-100hz"})
            QVERIFY2(lab.contains(QLatin1String(name)), name);
    }

    void everyDeviceIsCreatedFromIt()
    {
        const QVariantMap lab = demoLab();
        Sim::SimFactory factory;
        std::map<QString, std::unique_ptr<Device, StopAndDelete>> devices;
        for (auto it = lab.cbegin(); it != lab.cend(); ++it) {
            QVariantMap table = it->toMap();
            const QString kind = table.take(QStringLiteral("driver")).toString();
            // config() refuses keys that are not in the kind's schema.
            devices[it.key()].reset(factory.create(settings(kind, table, it.key())));
            devices[it.key()]->start();
        }
        QCOMPARE(devices.size(), std::size_t(7));

        // The signals' rates.
        QTRY_VERIFY(devices.at(QStringLiteral("signal-10hz"))
                        ->values()
                        .value(QStringLiteral("measurement_id"))
                        .toInt()
            >= 3);
        const int fast = devices.at(QStringLiteral("signal-100hz"))
                             ->values()
                             .value(QStringLiteral("measurement_id"))
                             .toInt();
        QVERIFY2(fast >= 20, qPrintable(QString::number(fast)));

        // The foot switch's binding names a device of the lab and a message it can be triggered
        // with.
        const QVariantMap bindings
            = lab.value(QStringLiteral("panel")).toMap().value(QStringLiteral("on_press")).toMap();
        QCOMPARE(bindings.value(QStringLiteral("foot")),
            QVariant(QStringLiteral("spectrometer.measure")));
        for (auto it = bindings.cbegin(); it != bindings.cend(); ++it) {
            const QStringList target = it->toString().split(QLatin1Char('.'));
            QCOMPARE(target.size(), 2);
            QVERIFY2(devices.count(target[0]), qPrintable(target[0]));
            QVERIFY(triggerMessages(devices.at(target[0])->traits()).contains(target[1]));
        }

        // What the host will do with it: a press of the foot switch, a measurement.
        Device &panel = *devices.at(QStringLiteral("panel"));
        Device &spectrometer = *devices.at(QStringLiteral("spectrometer"));
        QObject::connect(
            &panel, &Device::inputEvent, &spectrometer, [&](const QString &line, InputEvent event) {
                if (event == InputEvent::Pressed && line == QLatin1String("foot"))
                    invoke(spectrometer, QStringLiteral("measure"));
            });
        invoke(panel, QStringLiteral("click"), {QStringLiteral("foot")});
        QTRY_VERIFY(spectrometer.busy());
        QTRY_COMPARE(spectrometer.values().value(QStringLiteral("measurement_id")), QVariant(0));
        QCOMPARE(spectrometer.values()
                     .value(QStringLiteral("measured"))
                     .toMap()
                     .value(QStringLiteral("sample"))
                     .toList()
                     .size(),
            512);
    }
};

QTEST_GUILESS_MAIN(TestSimDemoLab)
#include "tst_simdemolab.moc"
