// SPDX-License-Identifier: MIT
#include "livetext.h"

#include <QAction>
#include <QClipboard>
#include <QCoreApplication>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QLabel>
#include <QVariant>

#include <algorithm>

namespace Benchtop::Ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("LiveText", text);
}

QString formatList(const QVariantList &list)
{
    if (list.isEmpty())
        return tr("[0 values]");
    bool numeric = true;
    double lowest = 0;
    double highest = 0;
    for (qsizetype i = 0; i < list.size() && numeric; ++i) {
        bool ok = false;
        const double x = list[i].toDouble(&ok);
        numeric = ok && list[i].typeId() != QMetaType::QString;
        lowest = i == 0 ? x : std::min(lowest, x);
        highest = i == 0 ? x : std::max(highest, x);
    }
    if (list.size() <= 3) {
        QStringList parts;
        for (const QVariant &item : list)
            parts << formatValue(item);
        return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    if (!numeric)
        return tr("[%1 values]").arg(list.size());
    return tr("[%1 values] %2 … %3")
        .arg(list.size())
        .arg(QString::number(lowest, 'g', 4), QString::number(highest, 'g', 4));
}

} // namespace

QLabel *makeLiveLabel(int characters, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    // Plain text, not selectable: a selectable label lays its text out in a QTextDocument on
    // every change, the largest cost of a thousand live panels (bench/notes/ui.md). Copying is
    // what selection was for, so a right click offers Copy instead.
    label->setTextFormat(Qt::PlainText);
    label->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *copy = new QAction(QLabel::tr("Copy"), label);
    copy->setObjectName(QStringLiteral("copyAction"));
    QObject::connect(copy, &QAction::triggered, label,
        [label] { QGuiApplication::clipboard()->setText(label->text()); });
    label->addAction(copy);
    // Opaque: Qt then repaints the label alone when its text changes, not the section's frame
    // and the panel behind it.
    label->setAutoFillBackground(true);
    const QFontMetrics metrics(label->font());
    const int margins = 2 * (label->margin() + label->frameWidth()) + metrics.averageCharWidth();
    label->setFixedSize(metrics.horizontalAdvance(QString(characters, QLatin1Char('0'))) + margins,
        label->sizeHint().height());
    return label;
}

bool setTextIfChanged(QLabel *label, const QString &text)
{
    if (label->text() == text)
        return false;
    label->setText(text);
    return true;
}

QString formatValue(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Double:
    case QMetaType::Float:
        return QString::number(value.toDouble(), 'g', 6);
    case QMetaType::Bool:
        return value.toBool() ? tr("on") : tr("off");
    case QMetaType::QVariantList:
        return formatList(value.toList());
    case QMetaType::QStringList:
        return value.toStringList().join(QStringLiteral(", "));
    case QMetaType::QVariantMap: {
        const QVariantMap map = value.toMap();
        QStringList parts;
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            parts << it.key() + QStringLiteral(": ") + formatValue(*it);
        return parts.join(QStringLiteral(", "));
    }
    case QMetaType::UnknownType:
        return QStringLiteral("—");
    default:
        return value.toString();
    }
}

} // namespace Benchtop::Ui
