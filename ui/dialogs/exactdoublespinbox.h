// SPDX-License-Identifier: MIT
#pragma once

#include <QDoubleSpinBox>

namespace Benchtop::Ui {

/// A QDoubleSpinBox that keeps enough decimals for any value a settings form gives it (0.001,
/// 1e-9) and shows each number in its shortest form: `10`, `12.5`, `0.001`, not `10.000000`.
class ExactDoubleSpinBox : public QDoubleSpinBox {
    Q_OBJECT
public:
    explicit ExactDoubleSpinBox(QWidget *parent = nullptr);

    /// Decimals enough to hold `value` exactly, and never fewer than the spin box already has;
    /// call before setting a range or a value that needs them.
    void allowDecimalsOf(double value);

    QString textFromValue(double value) const override;
};

} // namespace Benchtop::Ui
