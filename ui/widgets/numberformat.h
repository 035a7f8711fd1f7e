// SPDX-License-Identifier: MIT
#pragma once

#include <device/limits.h>
#include <device/propertyinfo.h>

#include <QString>
#include <QVariant>

#include <optional>

namespace Benchtop::Ui {

/// How a property's numbers are written wherever the window shows them — its panel, the plot's
/// legend, the Advanced section's table of properties, the log — so that one value reads the
/// same, to the digit, in all of them. The one number formatter of the window: a view that shows
/// a property's value takes NumberFormat::of(property) rather than choosing digits itself.
///
/// A format has a fixed number of decimals ("42.000"), or none: then 6 significant digits
/// ("0.0123457", "1.5e+07"), as for a value nothing tells the precision of. Cheap to copy.
class NumberFormat {
public:
    /// 6 significant digits, no units.
    NumberFormat() = default;
    /// `decimals` (nullopt: 6 significant digits) and `units` (may be empty).
    explicit NumberFormat(std::optional<int> decimals, QString units = {});

    /// The format of `property`'s values. Its decimals come from what the description tells of
    /// its precision: its limits when they are finite (decimalsWithin), else its units when
    /// they are a length or an angle (3: a µm in mm, a mdeg in degrees); otherwise none.
    static NumberFormat of(const PropertyInfo &property);
    /// Decimals for a value within `limits`: about six significant digits across the range (µm
    /// on a 100 mm stage, mdeg on a rotator), from 1 to 6; nullopt without finite limits.
    static std::optional<int> decimalsWithin(const std::optional<Limits> &limits);
    /// For numbers in a sentence, which must not look equal when they differ (a target just
    /// beyond a limit): 12 significant digits, every digit a typed or configured number has,
    /// without the noise of binary fractions ("2.5", "-100", "1e+09"; 0.1 + 0.2 is "0.3").
    static NumberFormat exact(QString units = {});

    std::optional<int> decimals() const { return m_decimals; }
    QString units() const { return m_units; }

    /// `value` alone: "42.000".
    QString number(double value) const;
    /// `value` and the units, if any: "42.000 mm".
    QString withUnits(double value) const;
    /// A published value, without units: a number (double or integer) as number() writes it
    /// (an integer keeps its digits), anything else as formatValue (widgets/livetext.h) does.
    QString value(const QVariant &value) const;

private:
    std::optional<int> m_decimals;
    int m_significantDigits = 6; ///< without decimals
    QString m_units;
};

} // namespace Benchtop::Ui
