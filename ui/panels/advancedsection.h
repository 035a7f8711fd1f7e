// SPDX-License-Identifier: MIT
#pragma once

#include "panelsection.h"

#include <device/propertyinfo.h>

#include <QHash>
#include <QList>
#include <QSet>

class QFormLayout;
class QLabel;
class QPushButton;
class QToolButton;

namespace Benchtop {
struct DeviceDescription;
}

namespace Benchtop::Ui {

/// Everything else, collapsed by default behind a toggle: every property whose controlKind is
/// Normal (its value and units, and an editor calling its setter when it has one), the driver's
/// own messages with their arguments (OwnMessagesForm, "ownMessages"), then the device's config and
/// every snapshot value no property covers, read-only. While collapsed it ignores snapshots;
/// expanding it shows the newest at once.
///
/// Object names: advancedToggle (QToolButton), advancedContent; per property property:<name>
/// (value), edit:<name> (editor) and set:<name> (its Set button, for numbers and text);
/// config:<key> and value:<key> (read-only text).
class AdvancedSection : public PanelSection {
    Q_OBJECT
public:
    AdvancedSection(
        const DeviceDescription &description, DeviceActions *actions, QWidget *parent = nullptr);

    void showSnapshot(const DeviceSnapshot &snapshot) override;
    /// Only the editors: the values stay readable (and the section expandable) in fault.
    void setControlsEnabled(bool enabled) override;

    bool isExpanded() const;
    void setExpanded(bool expanded);

private:
    struct Property {
        PropertyInfo info;
        QLabel *value = nullptr;
        QWidget *editor = nullptr;
    };
    QWidget *makeEditor(const Property &property, QWidget *row);
    void setProperty(const PropertyInfo &info, const QVariant &value);
    void showEditorValue(const Property &property, const QVariant &value);

    QToolButton *m_toggle = nullptr;
    QWidget *m_content = nullptr;
    QFormLayout *m_others = nullptr;
    QLabel *m_othersCaption = nullptr;
    QList<Property> m_properties;
    QList<QWidget *> m_editors; ///< with their Set buttons: what setControlsEnabled switches
    QSet<QString> m_covered; ///< snapshot keys shown by some property, here or in a section
    QHash<QString, QLabel *> m_otherValues;
    bool m_editorsShown
        = false; ///< editors start from the device's values once, then are the user's
};

} // namespace Benchtop::Ui
