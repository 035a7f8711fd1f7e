// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QWidget>

namespace Benchtop::Ui {

/// A round LED-like lamp showing one digital level: lit in its colour when on, dark when off.
/// setOn() repaints only when the level changes; the size is fixed, so it never re-lays out.
class LedIndicator : public QWidget {
    Q_OBJECT
public:
    explicit LedIndicator(QWidget *parent = nullptr);

    bool isOn() const { return m_on; }
    void setOn(bool on);
    void setColor(const QColor &color);

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QColor m_color{0x2e, 0xb8, 0x4b};
    bool m_on = false;
};

} // namespace Benchtop::Ui
