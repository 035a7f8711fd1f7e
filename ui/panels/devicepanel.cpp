// SPDX-License-Identifier: MIT
#include "devicepanel.h"

#include "advancedsection.h"
#include "deviceactions.h"
#include "digitaliosection.h"
#include "discretesection.h"
#include "positionsection.h"
#include "sensorsection.h"

#include <device/traits.h>
#include <host/devicehandle.h>

#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

namespace Benchtop::Ui {

namespace {

// A handle hears at least one snapshot per keep-alive; missing three in a row is news.
constexpr int kStaleAfterKeepAlives = 3;

const PropertyInfo *propertyWithKey(const DeviceDescription &description, const QString &key)
{
    auto it = std::find_if(description.properties.cbegin(), description.properties.cend(),
        [&](const PropertyInfo &p) { return p.stateKey == key; });
    return it == description.properties.cend() ? nullptr : &*it;
}

} // namespace

DevicePanel::DevicePanel(DeviceHandle *handle, QWidget *parent)
    : QWidget(parent)
    , m_handle(handle)
    , m_deviceName(handle ? handle->name() : QString())
    , m_readouts(this, FrameClock::Lane::Readouts, [this] {
        if (m_handle)
            showReadouts();
    })
{
    setObjectName(QStringLiteral("devicePanel"));
    m_actions = new DeviceActions(handle, this);
    connect(m_actions, &DeviceActions::operatorAction, this, [this](const QString &what) {
        showMessage({}, false); // an old message would read as the new action's outcome
        Q_EMIT operatorAction(m_deviceName, what);
    });
    connect(m_actions, &DeviceActions::inputRefused, this, [this](const QString &reason) {
        showMessage(reason, true);
        Q_EMIT inputRefused(m_deviceName, reason);
    });
    connect(m_actions, &DeviceActions::notified, this, [this](const QString &text) {
        showMessage(text, false);
        m_messageIsNotice = true;
        Q_EMIT notified(m_deviceName, text);
    });
    connect(m_actions, &DeviceActions::noticeCleared, this, [this] {
        if (m_messageIsNotice)
            showMessage({}, false);
    });
    connect(m_actions, &DeviceActions::answered, this, [this] { m_showNextAtOnce = true; });

    m_header = new PanelHeader;
    m_header->setDevice(m_deviceName, {});
    m_message = new QLabel;
    m_message->setObjectName(QStringLiteral("messageLabel"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setVisible(false);

    m_layout = new QVBoxLayout(this);
    m_layout->addWidget(m_header);
    m_layout->addWidget(m_message);
    m_layout->addStretch(1);

    m_staleCheck.setInterval(DeviceHandle::kKeepAlive);
    connect(&m_staleCheck, &QTimer::timeout, this, [this] {
        if (isStale() != m_stale)
            refresh();
    });
    if (handle) {
        connect(handle, &DeviceHandle::snapshotChanged, this, &DevicePanel::onSnapshot);
        connect(handle, &DeviceHandle::descriptionChanged, this, &DevicePanel::rebuild);
        connect(handle, &QObject::destroyed, this, [this] {
            m_header->showStatus(PanelStatus::Disconnected, {});
            for (PanelSection *section : std::as_const(m_sections))
                section->setControlsEnabled(false);
        });
    }
    rebuild();
}

DevicePanel::~DevicePanel() = default;

void DevicePanel::rebuild()
{
    if (!m_handle)
        return;
    const DeviceDescription &description = m_handle->description();
    m_header->setDevice(m_deviceName, description.kind);

    bool advancedExpanded = false;
    if (auto *advanced = m_body ? m_body->findChild<AdvancedSection *>() : nullptr)
        advancedExpanded = advanced->isExpanded();
    delete m_body;
    m_body = nullptr;
    m_sections.clear();
    if (description.kind.isEmpty())
        return; // not described yet: the header says so

    m_body = new QWidget;
    auto *layout = new QVBoxLayout(m_body);
    layout->setContentsMargins(0, 0, 0, 0);
    auto add = [&](PanelSection *section, const QString &objectName) {
        section->setObjectName(objectName);
        layout->addWidget(section);
        m_sections.append(section);
    };
    const QStringList &traits = description.traits;
    auto has = [&](const char *trait) { return traits.contains(QLatin1String(trait)); };
    if (has(Trait::HasPosition))
        add(new PositionSection(description, m_actions), QStringLiteral("positionSection"));
    if (has(Trait::IsDiscrete)) {
        if (const PropertyInfo *p = propertyWithKey(description, StateKey::PositionIdentifier)) {
            // A device with a position section has its Stop there.
            const auto stop = has(Trait::IsStoppable) && !has(Trait::HasPosition)
                ? DiscreteSection::StopButton::Yes
                : DiscreteSection::StopButton::No;
            add(new DiscreteSection(DiscreteSection::Kind::Identifier, *p, stop, m_actions),
                QStringLiteral("identifierSection"));
        }
    }
    if (has(Trait::HasTurret)) {
        if (const PropertyInfo *p = propertyWithKey(description, StateKey::Turret)) {
            add(new DiscreteSection(
                    DiscreteSection::Kind::Turret, *p, DiscreteSection::StopButton::No, m_actions),
                QStringLiteral("turretSection"));
        }
    }
    if (has(Trait::IsSensor))
        add(new SensorSection(description, m_actions), QStringLiteral("sensorSection"));
    if (has(Trait::HasDigitalIo))
        add(new DigitalIoSection(description, m_actions), QStringLiteral("digitalIoSection"));
    auto *advanced = new AdvancedSection(description, m_actions);
    add(advanced, QStringLiteral("advancedSection"));
    if (advancedExpanded)
        advanced->setExpanded(true);
    m_layout->insertWidget(m_layout->indexOf(m_message) + 1, m_body);
    m_body->show(); // now, not at the layout's next event: what was built can be used at once

    m_shownAny = false;
    m_controlsEnabled = true;
    refresh();
}

bool DevicePanel::isStale() const
{
    if (!m_handle || m_handle->lastHeard() == std::chrono::steady_clock::time_point())
        return false;
    return std::chrono::steady_clock::now() - m_handle->lastHeard()
        > kStaleAfterKeepAlives * DeviceHandle::kKeepAlive;
}

void DevicePanel::refresh()
{
    if (!m_handle || !isVisible())
        return; // showEvent catches up
    refreshStatus();
    showReadouts();
}

void DevicePanel::onSnapshot(DeviceHandle::Delivery delivery)
{
    if (!m_handle || !isVisible())
        return; // showEvent catches up
    refreshStatus();
    // While the operator waits for an answer, and for the first snapshot after it, every
    // snapshot is shown as it comes: a control that follows the device (a toggle, the loop
    // button) must see the snapshots that arrive before the answer while its call is still
    // pending, and the one that shows the call's effect at once.
    const bool interactive
        = m_actions->callsInFlight() > 0 || std::exchange(m_showNextAtOnce, false);
    if (delivery == DeviceHandle::Delivery::Prompt || interactive) {
        showReadouts();
        return;
    }
    const DeviceSnapshot &snapshot = m_handle->snapshot();
    if (m_shownAny && snapshot.sequence == m_shownSequence)
        return; // a keep-alive: nothing new to show
    m_readouts.requestAfterLast(kReadoutInterval);
}

// The header and the enabled state of the controls.
void DevicePanel::refreshStatus()
{
    const DeviceSnapshot &snapshot = m_handle->snapshot();
    m_stale = isStale();
    const PanelStatus status = panelStatus(snapshot, m_stale);
    // Why: the fault's reason, or why the link is down (the value drivers with a link publish).
    const bool linkDown = status == PanelStatus::Disconnected || status == PanelStatus::Connecting;
    const QString reason
        = linkDown ? snapshot.values.value(StateKey::LinkError).toString() : snapshot.fault;
    const QString identity = snapshot.values.value(QStringLiteral("identity")).toString();
    // Only what changed reaches the header: this runs for every snapshot of every panel, and
    // touching a thousand labels' text to compare it costs more than comparing here.
    if (status != m_status || reason != m_shownReason || !m_headerShown) {
        m_header->showStatus(status, reason);
        m_shownReason = reason;
    }
    // The next reconnection attempt, counted down by the header (drivers that reconnect).
    const int attempt = status == PanelStatus::Disconnected
        ? snapshot.values.value(StateKey::ReconnectAttempt).toInt()
        : 0;
    const qint64 attemptAt = snapshot.values.value(StateKey::ReconnectAt).toLongLong();
    if (attempt != m_shownAttempt || attemptAt != m_shownAttemptAt) {
        m_header->showNextAttempt(attempt, attemptAt);
        m_shownAttempt = attempt;
        m_shownAttemptAt = attemptAt;
    }
    if (identity != m_shownIdentity || !m_headerShown) {
        m_header->setIdentity(identity);
        m_shownIdentity = identity;
    }
    if (snapshot.loopStalls != m_shownStalls) {
        m_shownStalls = snapshot.loopStalls;
        m_header->setLoopStalls(snapshot.loopStalls, snapshot.longestStallMs);
    }
    m_headerShown = true;
    const bool enabled = acceptsCalls(status);
    if (enabled != m_controlsEnabled) {
        m_controlsEnabled = enabled;
        for (PanelSection *section : std::as_const(m_sections))
            section->setControlsEnabled(enabled);
    }
    m_status = status;
}

void DevicePanel::showReadouts()
{
    m_readouts.cancel(); // what it would show is shown now
    const DeviceSnapshot &snapshot = m_handle->snapshot();
    if (m_shownAny && snapshot.sequence == m_shownSequence)
        return; // a keep-alive: nothing new to show
    m_shownAny = true;
    m_shownSequence = snapshot.sequence;
    m_readouts.drawn();
    for (PanelSection *section : std::as_const(m_sections))
        section->showSnapshot(snapshot);
}

void DevicePanel::showMessage(const QString &text, bool refusal)
{
    m_messageIsNotice = false;
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
    QPalette palette = this->palette();
    if (refusal)
        palette.setColor(QPalette::WindowText, QColor(0xd0, 0x3a, 0x3a));
    m_message->setPalette(palette);
}

void DevicePanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_staleCheck.start();
    refresh();
}

void DevicePanel::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_staleCheck.stop(); // its readouts' request goes with it (WidgetFrameClient)
}

} // namespace Benchtop::Ui
