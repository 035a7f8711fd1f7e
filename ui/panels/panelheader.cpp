// SPDX-License-Identifier: MIT
#include "panelheader.h"

#include <device/devicesnapshot.h>
#include <widgets/formatheld.h>
#include <widgets/livetext.h>

#include <QDateTime>
#include <QGridLayout>
#include <QLabel>

#include <algorithm>

namespace Benchtop::Ui {

namespace {

/// The status line's narrowest width, in characters.
constexpr int kStatusColumns = 40;
/// The most it shows of a status and its reason, in characters (four lines or so).
constexpr int kStatusLength = 180;

// Mid-tone colours: dark enough on a light window, light enough on a dark one.
QColor colorOf(PanelStatus status)
{
    switch (status) {
    case PanelStatus::Ready:
        return {0x2e, 0x8b, 0x3e};
    case PanelStatus::Busy:
        return {0x2f, 0x7f, 0xc8};
    case PanelStatus::Fault:
        return {0xd0, 0x3a, 0x3a};
    case PanelStatus::NotResponding:
    case PanelStatus::Disconnected:
        return {0xc8, 0x7a, 0x10};
    case PanelStatus::Waiting:
    case PanelStatus::Stopped:
    case PanelStatus::Connecting:
        break;
    }
    return {0x80, 0x80, 0x80};
}

QString textOf(PanelStatus status, const QString &reason)
{
    switch (status) {
    case PanelStatus::Waiting:
        return PanelHeader::tr("waiting for the device…");
    case PanelStatus::Fault:
        return PanelHeader::tr("fault: %1").arg(reason);
    case PanelStatus::Stopped:
        return PanelHeader::tr("stopped");
    case PanelStatus::Disconnected:
        return reason.isEmpty() ? PanelHeader::tr("disconnected")
                                : PanelHeader::tr("disconnected: %1").arg(reason);
    case PanelStatus::Connecting:
        return reason.isEmpty() ? PanelHeader::tr("connecting…")
                                : PanelHeader::tr("connecting… (last attempt: %1)").arg(reason);
    case PanelStatus::NotResponding:
        return PanelHeader::tr("not responding");
    case PanelStatus::Busy:
        return PanelHeader::tr("busy");
    case PanelStatus::Ready:
        break;
    }
    return PanelHeader::tr("ready");
}

} // namespace

PanelStatus panelStatus(const DeviceSnapshot &snapshot, bool stale)
{
    if (snapshot.name.isEmpty()) // a default snapshot: nothing received yet
        return PanelStatus::Waiting;
    switch (snapshot.status) {
    case DeviceStatus::Fault:
        return PanelStatus::Fault;
    case DeviceStatus::Stopped:
        return PanelStatus::Stopped;
    case DeviceStatus::Ready:
        break;
    }
    if (snapshot.link == LinkState::Disconnected)
        return PanelStatus::Disconnected;
    if (snapshot.link == LinkState::Connecting)
        return PanelStatus::Connecting;
    if (stale)
        return PanelStatus::NotResponding;
    return snapshot.busy ? PanelStatus::Busy : PanelStatus::Ready;
}

bool acceptsCalls(PanelStatus status)
{
    // NotResponding still takes calls: a slow device may answer them.
    return status == PanelStatus::Ready || status == PanelStatus::Busy
        || status == PanelStatus::NotResponding;
}

PanelHeader::PanelHeader(QWidget *parent)
    : QWidget(parent)
{
    m_name = new QLabel;
    m_name->setObjectName(QStringLiteral("nameLabel"));
    QFont nameFont = m_name->font();
    nameFont.setBold(true);
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.3);
    m_name->setFont(nameFont);
    m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_kind = new QLabel;
    m_kind->setObjectName(QStringLiteral("kindLabel"));
    m_kind->setForegroundRole(QPalette::PlaceholderText);

    m_identity = new QLabel;
    m_identity->setObjectName(QStringLiteral("identityLabel"));
    m_identity->setForegroundRole(QPalette::PlaceholderText);
    m_identity->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_identity->hide();

    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    // Wide enough for a fault's reason to read as sentences, not a narrow column of words.
    m_status->setMinimumWidth(m_status->fontMetrics().averageCharWidth() * kStatusColumns);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont statusFont = m_status->font();
    statusFont.setBold(true);
    m_status->setFont(statusFont);

    m_stalls = new QLabel;
    m_stalls->setObjectName(QStringLiteral("stallsLabel"));
    m_stalls->setWordWrap(true);
    m_stalls->setToolTip(
        tr("One step of this device's driver kept the device loop busy longer than the "
           "watchdog allows, delaying every other device meanwhile: a driver bug to report"));
    QPalette stallPalette = m_stalls->palette();
    stallPalette.setColor(QPalette::WindowText, colorOf(PanelStatus::NotResponding));
    m_stalls->setPalette(stallPalette);
    m_stalls->hide();

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_name, 0, 0);
    grid->addWidget(m_kind, 0, 1, Qt::AlignLeft | Qt::AlignBaseline);
    grid->addWidget(m_identity, 1, 0, 1, 3);
    grid->addWidget(m_status, 2, 0, 1, 3);
    grid->addWidget(m_stalls, 3, 0, 1, 3);
    grid->setColumnStretch(2, 1);

    m_countdown.setInterval(100);
    connect(&m_countdown, &QTimer::timeout, this, &PanelHeader::showStatusText);
    m_shown = PanelStatus::Ready; // differs from Waiting, so that the first showStatus paints
    showStatus(PanelStatus::Waiting, {});
}

void PanelHeader::setDevice(const QString &name, const QString &kind)
{
    setTextIfChanged(m_name, name);
    setTextIfChanged(m_kind, kind);
}

void PanelHeader::setIdentity(const QString &identity)
{
    setTextIfChanged(m_identity, identity);
    m_identity->setVisible(!identity.isEmpty());
}

void PanelHeader::setLoopStalls(int count, qint64 longestMs)
{
    if (count <= 0) {
        m_stalls->hide();
        return;
    }
    const QString longest = formatHeld(std::chrono::milliseconds(longestMs));
    setTextIfChanged(m_stalls,
        count == 1 ? tr("Held the device loop once, for %1").arg(longest)
                   : tr("Held the device loop %1 times, longest %2").arg(count).arg(longest));
    m_stalls->show();
}

void PanelHeader::showNextAttempt(int attempt, qint64 atMs)
{
    m_attempt = attempt;
    m_attemptAtMs = atMs;
    showStatusText();
}

void PanelHeader::showStatusText()
{
    // A long reason is cut after about three lines; all of it is on hover and in the log.
    const QString text = textOf(m_shown, m_reason);
    const bool cut = text.size() > kStatusLength;
    QString shown = cut ? text.left(kStatusLength - 1) + QChar(0x2026) : text;
    const bool countingDown = m_shown == PanelStatus::Disconnected && m_attempt > 0;
    if (countingDown) {
        const double seconds
            = double(std::max<qint64>(0, m_attemptAtMs - QDateTime::currentMSecsSinceEpoch()))
            / 1000.0;
        shown += tr("; reconnecting (attempt %1, next in %2 s)")
                     .arg(m_attempt)
                     .arg(QString::number(seconds, 'f', 1));
        if (!m_countdown.isActive())
            m_countdown.start();
    } else {
        m_countdown.stop();
    }
    setTextIfChanged(m_status, shown);
    m_status->setToolTip(cut ? text : QString());
}

void PanelHeader::showStatus(PanelStatus status, const QString &reason)
{
    const bool changed = status != m_shown;
    m_shown = status;
    m_reason = reason;
    showStatusText();
    if (!changed)
        return;
    QPalette palette = m_status->palette();
    palette.setColor(QPalette::WindowText, colorOf(status));
    m_status->setPalette(palette);
}

} // namespace Benchtop::Ui
