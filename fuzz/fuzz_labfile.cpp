// SPDX-License-Identifier: MIT
// Fuzz target: a lab file. The bytes are the file's text, given to parseLabText and then, for
// what parsed, to checkLab against a schema like the sim plugin's (every value type, a range,
// options, minimum and maximum, bindings). Nothing may be thrown; every error names the file,
// has a place when it has a line, and stays one line of bounded length whatever the input (a
// long string in the file is cut short when quoted).
#include <lab/labcheck.h>
#include <lab/labfile.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Benchtop;

namespace {

void check(bool condition, const char *invariant, const LabError *error = nullptr)
{
    if (!condition) {
        if (error)
            std::fprintf(stderr, "error: %s\n", qPrintable(error->toString().left(2000)));
        std::fprintf(stderr, "invariant broken: %s\n", invariant);
        std::abort();
    }
}

QList<DriverInfo> drivers()
{
    DriverInfo motor;
    motor.kind = QStringLiteral("sim-motor");
    motor.traits = {
        QStringLiteral("is-daemon"), QStringLiteral("has-position"), QStringLiteral("is-homeable")};
    motor.config = {
        ConfigField{.name = QStringLiteral("speed"),
            .type = ValueType::Double,
            .defaultValue = 10.0,
            .minimum = 0.001,
            .maximum = 1e5,
            .units = QStringLiteral("mm/s")},
        ConfigField{.name = QStringLiteral("steps"),
            .type = ValueType::Int,
            .defaultValue = 1,
            .minimum = 0,
            .maximum = 10000},
        ConfigField{.name = QStringLiteral("limits"),
            .type = ValueType::DoubleList,
            .defaultValue = QVariantList{-100.0, 100.0},
            .range = true},
        ConfigField{.name = QStringLiteral("out_of_limits"),
            .type = ValueType::String,
            .defaultValue = QStringLiteral("closest"),
            .options = {QStringLiteral("closest"), QStringLiteral("ignore")}},
        ConfigField{.name = QStringLiteral("serial_port"), .type = ValueType::String},
        ConfigField{
            .name = QStringLiteral("enabled"), .type = ValueType::Bool, .defaultValue = true},
    };
    DriverInfo digital;
    digital.kind = QStringLiteral("sim-digital");
    digital.config = {
        ConfigField{.name = QStringLiteral("inputs"),
            .type = ValueType::StringList,
            .defaultValue = QStringList{QStringLiteral("foot")}},
        ConfigField{.name = QStringLiteral("slots"),
            .type = ValueType::DoubleMap,
            .defaultValue = QVariantMap{},
            .minimum = 0},
        ConfigField{.name = QStringLiteral("labels"),
            .type = ValueType::StringMap,
            .defaultValue = QVariantMap{}},
        ConfigField{
            .name = QStringLiteral("extra"), .type = ValueType::Map, .defaultValue = QVariantMap{}},
        ConfigField{.name = QStringLiteral("on_press"),
            .type = ValueType::Bindings,
            .defaultValue = QVariantMap{}},
    };
    return {motor, digital};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QList<DriverInfo> kDrivers = drivers();
    const QByteArray text(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const QString path = QStringLiteral("lab.toml");
    LabParseResult parsed = parseLabText(text, path);
    QList<LabError> errors = parsed.errors;
    errors += checkLab(parsed.lab, kDrivers);
    for (const LabError &error : std::as_const(errors)) {
        check(error.file == path, "the error names the file", &error);
        check(error.line >= 0 && error.column >= 0, "a place, or none", &error);
        check(!error.message.isEmpty(), "a message", &error);
        check(!error.message.contains(QLatin1Char('\n')) && !error.message.contains(QChar(0)),
            "the message is one line", &error);
        // Quoted values are cut to 40 characters; a message quotes at most a few.
        check(error.message.size() < 1500, "the message is short", &error);
    }
    for (const LabDevice &device : std::as_const(parsed.lab.devices))
        check(device.line >= 1, "every device has its line");
    return 0;
}
