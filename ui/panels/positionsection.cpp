// SPDX-License-Identifier: MIT
#include "positionsection.h"

#include "deviceactions.h"
#include "targetcheck.h"

#include <device/devicesnapshot.h>
#include <device/traits.h>
#include <host/devicedescription.h>
#include <widgets/livetext.h>
#include <widgets/numberformat.h>
#include <widgets/wheelguard.h>

#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

#include <algorithm>
#include <cmath>

namespace Benchtop::Ui {

namespace {

// Wide enough for any real stage, so that out-of-limits targets can be typed (see the header).
constexpr double kTargetRange = 1e9;
constexpr int kValueCharacters = 16;

const PropertyInfo *findProperty(const DeviceDescription &description, const QString &name)
{
    auto it = std::find_if(description.properties.cbegin(), description.properties.cend(),
        [&](const PropertyInfo &p) { return p.name == name; });
    return it == description.properties.cend() ? nullptr : &*it;
}

bool isFinite(const std::optional<Limits> &limits)
{
    return limits && std::isfinite(limits->lower) && std::isfinite(limits->upper);
}

// A round step of about a twentieth of the travel.
double defaultStep(const std::optional<Limits> &limits)
{
    if (!isFinite(limits) || limits->upper <= limits->lower)
        return 1.0;
    return std::pow(10.0, std::floor(std::log10(limits->upper - limits->lower)) - 1);
}

QDoubleSpinBox *makeSpin(const QString &objectName, int decimals, const QString &units)
{
    auto *spin = new QDoubleSpinBox;
    spin->setObjectName(objectName);
    spin->setDecimals(decimals);
    spin->setRange(-kTargetRange, kTargetRange);
    // Its size hint is the width of the widest number of that range (13 digits and the
    // decimals): far wider than any position, and it made the panel leave the plot little room.
    spin->setMinimumWidth(spin->fontMetrics().horizontalAdvance(
                              QStringLiteral("-00000.") + QString(decimals, u'0') + u' ' + units)
        + 40);
    spin->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    spin->setAlignment(Qt::AlignRight);
    spin->setAccelerated(true);
    if (!units.isEmpty())
        spin->setSuffix(QLatin1Char(' ') + units);
    ignoreWheel(spin);
    return spin;
}

QPushButton *makeButton(const QString &objectName, const QString &text, const QString &toolTip)
{
    auto *button = new QPushButton(text);
    button->setObjectName(objectName);
    button->setToolTip(toolTip);
    // As narrow as its text allows (the style's minimum is 80 px): "−" and "+" need little.
    button->setMinimumWidth(button->fontMetrics().horizontalAdvance(text) + 24);
    return button;
}

} // namespace

PositionSection::PositionSection(
    const DeviceDescription &description, DeviceActions *actions, QWidget *parent)
    : PanelSection(tr("Position"), actions, parent)
{
    const PropertyInfo *destination = findProperty(description, StateKey::Destination);
    const PropertyInfo *position = findProperty(description, StateKey::Position);
    m_units = destination ? destination->units : QString();
    m_setter = destination && !destination->setter.isEmpty() ? destination->setter
                                                             : QStringLiteral("set_position");
    m_destinationKey = destination ? destination->stateKey : StateKey::Destination;
    m_positionKey = position ? position->stateKey : StateKey::Position;
    if (destination)
        m_limits = destination->limits;
    m_policy = outOfLimitsFromString(
        description.config.value(QStringLiteral("out_of_limits")).toString())
                   .value_or(OutOfLimits::Closest);
    m_format = destination ? NumberFormat::of(*destination) : NumberFormat(3, m_units);
    // The boxes need a number of decimals even where the values are shown to 6 digits.
    const int decimals = m_format.decimals().value_or(3);

    auto *grid = new QGridLayout(this);
    grid->setColumnStretch(1, 1);
    auto addLiveRow = [&](int row, const QString &caption, const QString &objectName) {
        auto *label = makeLiveLabel(kValueCharacters);
        label->setObjectName(objectName);
        auto *valueWithUnits = new QHBoxLayout;
        valueWithUnits->addWidget(label);
        valueWithUnits->addWidget(new QLabel(m_units));
        valueWithUnits->addStretch();
        grid->addWidget(new QLabel(caption), row, 0);
        grid->addLayout(valueWithUnits, row, 1);
        return label;
    };
    m_positionLabel = addLiveRow(0, tr("Position"), QStringLiteral("positionLabel"));
    m_destinationLabel = addLiveRow(1, tr("Destination"), QStringLiteral("destinationLabel"));

    m_target = makeSpin(QStringLiteral("targetSpin"), decimals, m_units);
    m_target->setToolTip(tr("Where to go; Go sends it"));
    auto *goButton = makeButton(QStringLiteral("goButton"), tr("Go"), tr("Move to the target"));
    grid->addWidget(new QLabel(tr("Target")), 2, 0);
    grid->addWidget(m_target, 2, 1);
    grid->addWidget(goButton, 2, 2, 1, 2);
    connect(goButton, &QPushButton::clicked, this, &PositionSection::go);
    // Enter in the target box goes too (QAbstractSpinBox passes it on to its line edit).
    if (auto *edit = m_target->findChild<QLineEdit *>()) {
        connect(edit, &QLineEdit::returnPressed, this, &PositionSection::go);
        // A new target typed: a notice about the last one no longer holds.
        connect(edit, &QLineEdit::textEdited, this, [this] { forgetNotice(); });
    }

    if (description.messages.contains(QStringLiteral("set_relative"))) {
        m_step = makeSpin(QStringLiteral("stepSpin"), decimals, m_units);
        m_step->setMinimum(0);
        m_step->setValue(defaultStep(m_limits));
        m_step->setToolTip(tr("Size of one relative step"));
        auto *down = makeButton(QStringLiteral("stepDownButton"), QStringLiteral("−"),
            tr("Step back by the step size"));
        auto *up = makeButton(
            QStringLiteral("stepUpButton"), QStringLiteral("+"), tr("Step on by the step size"));
        grid->addWidget(new QLabel(tr("Step")), 3, 0);
        grid->addWidget(m_step, 3, 1);
        grid->addWidget(down, 3, 2);
        grid->addWidget(up, 3, 3);
        connect(down, &QPushButton::clicked, this, [this] { step(-1); });
        connect(up, &QPushButton::clicked, this, [this] { step(+1); });
    }

    if (m_limits) {
        auto *limits = new QLabel(
            tr("%1 … %2 %3; outside: %4")
                .arg(NumberFormat::exact().number(m_limits->lower),
                    NumberFormat::exact().number(m_limits->upper), m_units, toString(m_policy)));
        limits->setObjectName(QStringLiteral("limitsLabel"));
        limits->setToolTip(tr("The device's limits and its out_of_limits policy"));
        grid->addWidget(new QLabel(tr("Limits")), 4, 0);
        grid->addWidget(limits, 4, 1, 1, 3);
    }

    auto *buttons = new QHBoxLayout;
    if (description.traits.contains(QLatin1String(Trait::IsStoppable))) {
        auto *stop = makeButton(QStringLiteral("stopButton"), tr("Stop"), tr("Stop at once"));
        buttons->addWidget(stop);
        connect(stop, &QPushButton::clicked, this,
            [this] { this->actions()->call(tr("Stop"), QStringLiteral("stop")); });
    }
    if (description.traits.contains(QLatin1String(Trait::IsHomeable))) {
        auto *home = makeButton(QStringLiteral("homeButton"), tr("Home"),
            tr("Find the reference switch, then return to the destination"));
        buttons->addWidget(home);
        connect(home, &QPushButton::clicked, this,
            [this] { this->actions()->call(tr("Home"), QStringLiteral("home")); });
    }
    buttons->addStretch();
    grid->addLayout(buttons, 5, 0, 1, 4);
}

QString PositionSection::withUnits(double value) const
{
    return m_format.withUnits(value);
}

void PositionSection::go()
{
    m_target->interpretText(); // text typed but not yet taken (no Enter, no focus change)
    const TargetCheck check = checkTarget(m_target->value(), m_limits, m_policy, m_units);
    if (!check.sends()) {
        actions()->refuse(check.message);
        return;
    }
    if (check.verdict == TargetCheck::Verdict::Clamped)
        m_target->setValue(check.target);
    actions()->call(tr("Go to %1").arg(withUnits(check.target)), m_setter, {check.target});
    if (!check.message.isEmpty()) {
        actions()->notify(check.message);
        m_noticeTarget = check.target;
        m_noticeTargetReached = m_destination == check.target; // a repeat of the last move
    }
}

void PositionSection::forgetNotice()
{
    if (!m_noticeTarget)
        return;
    m_noticeTarget.reset();
    actions()->clearNotice();
}

void PositionSection::step(int direction)
{
    m_step->interpretText();
    const double distance = direction * m_step->value();
    const TargetCheck check = checkTarget(m_destination + distance, m_limits, m_policy, m_units);
    if (!check.sends()) {
        actions()->refuse(check.message);
        return;
    }
    // Relative to the destination the device holds, which the panel may not have seen yet;
    // only a clamped step is resent as the distance to the limit.
    const double sent
        = check.verdict == TargetCheck::Verdict::Clamped ? check.target - m_destination : distance;
    actions()->call(
        tr("Step %1%2")
            .arg(sent < 0 ? QStringLiteral("−") : QStringLiteral("+"), withUnits(std::abs(sent))),
        QStringLiteral("set_relative"), {sent});
    if (!check.message.isEmpty()) {
        actions()->notify(check.message);
        m_noticeTarget = check.target;
        m_noticeTargetReached = m_destination == check.target; // a repeat of the last move
    }
}

void PositionSection::showSnapshot(const DeviceSnapshot &snapshot)
{
    const QVariant position = valueAt(snapshot.values, m_positionKey);
    const QVariant destination = valueAt(snapshot.values, m_destinationKey);
    if (position.isValid())
        setTextIfChanged(m_positionLabel, m_format.number(position.toDouble()));
    if (destination.isValid()) {
        m_destination = destination.toDouble();
        if (m_noticeTarget && m_destination == *m_noticeTarget)
            m_noticeTargetReached = true;
        else if (m_noticeTarget && m_noticeTargetReached)
            forgetNotice(); // another move began
        setTextIfChanged(m_destinationLabel, m_format.number(m_destination));
        if (!m_targetShown) {
            m_target->setValue(m_destination);
            m_targetShown = true;
        }
    }
}

} // namespace Benchtop::Ui
