// SPDX-License-Identifier: MIT
#include "exactdoublespinbox.h"

#include <QLocale>

#include <cmath>

namespace Benchtop::Ui {

namespace {

// Enough for what people type; a value with more gets more through allowDecimalsOf.
constexpr int kMinimumDecimals = 10;

} // namespace

ExactDoubleSpinBox::ExactDoubleSpinBox(QWidget *parent)
    : QDoubleSpinBox(parent)
{
    setDecimals(kMinimumDecimals);
}

void ExactDoubleSpinBox::allowDecimalsOf(double value)
{
    if (!std::isfinite(value))
        return;
    const QString text = QString::number(value, 'f', QLocale::FloatingPointShortest);
    const qsizetype point = text.indexOf(QLatin1Char('.'));
    const int needed = point < 0 ? 0 : static_cast<int>(text.size() - point - 1);
    if (needed > decimals())
        setDecimals(needed);
}

QString ExactDoubleSpinBox::textFromValue(double value) const
{
    QString text = locale().toString(value, 'f', QLocale::FloatingPointShortest);
    if (!isGroupSeparatorShown())
        text.remove(locale().groupSeparator());
    return text;
}

} // namespace Benchtop::Ui
