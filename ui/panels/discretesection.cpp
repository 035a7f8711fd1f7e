// SPDX-License-Identifier: MIT
#include "discretesection.h"

#include "deviceactions.h"

#include <device/devicesnapshot.h>
#include <device/propertyinfo.h>
#include <device/traits.h>
#include <widgets/livetext.h>
#include <widgets/wheelguard.h>

#include <QComboBox>
#include <QFontMetrics>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>

namespace Benchtop::Ui {

namespace {

QString prefixOf(DiscreteSection::Kind kind)
{
    return kind == DiscreteSection::Kind::Identifier ? QStringLiteral("identifier")
                                                     : StateKey::Turret;
}

} // namespace

DiscreteSection::DiscreteSection(Kind kind, const PropertyInfo &property, StopButton stop,
    DeviceActions *actions, QWidget *parent)
    : PanelSection(kind == Kind::Identifier ? tr("Named position") : tr("Turret"), actions, parent)
    , m_kind(kind)
    , m_setter(property.setter)
    , m_argument(property.argument)
    , m_stateKey(property.stateKey)
{
    const QString prefix = prefixOf(kind);
    qsizetype longest = tr("between positions").size();
    for (const QString &option : property.options)
        longest = std::max(longest, option.size());

    m_current = makeLiveLabel(int(longest) + 2);
    m_current->setObjectName(prefix + QStringLiteral("Label"));
    m_current->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_current->setToolTip(tr("Where the device is now"));

    m_combo = new QComboBox;
    m_combo->setObjectName(prefix + QStringLiteral("Combo"));
    m_combo->addItems(property.options);
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_combo->setToolTip(tr("Choose a position to go there"));
    m_combo->setEnabled(!m_setter.isEmpty());
    ignoreWheel(m_combo);
    // activated: only the operator's choices, not the selector following the device.
    connect(m_combo, &QComboBox::activated, this, &DiscreteSection::select);

    auto *grid = new QGridLayout(this);
    grid->setColumnStretch(2, 1);
    grid->addWidget(new QLabel(tr("Current")), 0, 0);
    grid->addWidget(m_current, 0, 1, 1, 2);
    grid->addWidget(new QLabel(tr("Go to")), 1, 0);
    grid->addWidget(m_combo, 1, 1);
    if (stop == StopButton::Yes) {
        auto *stopButton = new QPushButton(tr("Stop"));
        stopButton->setObjectName(QStringLiteral("discreteStopButton"));
        stopButton->setToolTip(tr("Stop at once, wherever it is"));
        grid->addWidget(stopButton, 1, 2, Qt::AlignLeft);
        connect(stopButton, &QPushButton::clicked, this,
            [this] { this->actions()->call(tr("Stop"), QStringLiteral("stop")); });
    }
}

void DiscreteSection::select(int index)
{
    const QString identifier = m_combo->itemText(index);
    QVariantList args;
    if (m_argument.isValid())
        args << m_argument;
    args << identifier;
    actions()->call(m_kind == Kind::Identifier ? tr("Go to %1").arg(identifier)
                                               : tr("Select turret %1").arg(identifier),
        m_setter, args);
}

void DiscreteSection::showSnapshot(const DeviceSnapshot &snapshot)
{
    const QString identifier = valueAt(snapshot.values, m_stateKey).toString();
    if (!setTextIfChanged(m_current, identifier.isEmpty() ? tr("between positions") : identifier))
        return;
    m_current->setEnabled(!identifier.isEmpty()); // greyed while between positions
    if (!identifier.isEmpty() && m_combo->currentText() != identifier) {
        const int index = m_combo->findText(identifier);
        if (index >= 0)
            m_combo->setCurrentIndex(index);
    }
}

} // namespace Benchtop::Ui
