// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

class QLabel;
class QVariant;
class QWidget;

namespace Benchtop::Ui {

/// Helpers for the live values of the panels, which may update at 100 Hz on a thousand panels:
/// monospace digits that do not jitter, fixed-size labels whose new text never re-lays out the
/// panel, and text set only when it changed.

/// A right-aligned monospace label sized for `characters` characters. Its size is fixed, so
/// setText() does not invalidate the layout (Qt skips re-layout for fixed-size widgets). Choose
/// `characters` for the longest text it will show: longer text is clipped. Cheap to change: plain
/// text, opaque (repainted alone), not selectable; its context menu's Copy action
/// (object name copyAction) puts its text on the clipboard.
QLabel *makeLiveLabel(int characters, QWidget *parent = nullptr);

/// Sets `text` only when it differs from what `label` shows (an unchanged value costs one
/// string comparison, no repaint). Returns whether it changed.
bool setTextIfChanged(QLabel *label, const QString &text);

/// A published value as text: numbers to 6 significant digits, bools as on/off, arrays as
/// "[n values]" with their range, maps as "key: value" pairs.
QString formatValue(const QVariant &value);

} // namespace Benchtop::Ui
