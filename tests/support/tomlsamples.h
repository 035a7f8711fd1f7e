// SPDX-License-Identifier: MIT
#pragma once

// Values and the exact TOML text every writer of Benchtop must give for them: lab files
// (labText), state files (StateStore), the add-device form (fieldEditorToml) and yaq's
// get_config / get_state. Each of those tests writes these values its own way and compares the
// bytes with `text`, so that a value reads the same wherever Benchtop writes it.

#include <QList>
#include <QString>
#include <QVariant>
#include <QVariantList>
#include <QVariantMap>

#include <cmath>
#include <limits>

namespace Benchtop::Test {

struct TomlSample {
    QString key; ///< a bare key, usable as a config or state key
    QVariant value;
    QString text; ///< the value's TOML text
};

inline QList<TomlSample> tomlSamples()
{
    const double inf = std::numeric_limits<double>::infinity();
    return {
        {"yes", true, "true"},
        {"count", qlonglong(-25), "-25"},
        {"big", qlonglong(1) << 40, "1099511627776"},
        {"whole", 10.0, "10.0"},
        {"tenth", 0.1, "0.1"},
        {"sum", 0.1 + 0.2, "0.30000000000000004"},
        {"negative_zero", -0.0, "-0.0"},
        {"tiny", 1e-9, "1e-09"},
        {"huge", 1e21, "1e+21"},
        {"plus_inf", inf, "inf"},
        {"minus_inf", -inf, "-inf"},
        {"not_a_number", std::numeric_limits<double>::quiet_NaN(), "nan"},
        {"text", QString("say \"hi\" C:\\dir\tµm"), "\"say \\\"hi\\\" C:\\\\dir\\tµm\""},
        {"control", QString("a") + QChar(0x01) + QChar(0x7f), "\"a\\u0001\\u007f\""},
        {"names", QStringList{"open", "ND0.5"}, "[ \"open\", \"ND0.5\" ]"},
        {"limits", QVariantList{-100.0, 100.0}, "[ -100.0, 100.0 ]"},
        {"none", QVariantList{}, "[]"},
        {"mixed", QVariantList{qlonglong(1), 2.5, QString("x"), false}, "[ 1, 2.5, \"x\", false ]"},
        {"bindings", QVariantMap{{"foot", "stage.home"}, {"my line", "camera.measure"}},
            "{ foot = \"stage.home\", \"my line\" = \"camera.measure\" }"},
        {"gains", QVariantMap{{"red", 0.1}, {"blue", 60.0}}, "{ blue = 60.0, red = 0.1 }"},
        {"empty", QVariantMap{}, "{}"},
    };
}

} // namespace Benchtop::Test
