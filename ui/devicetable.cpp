// SPDX-License-Identifier: MIT
#include "devicetable.h"

#include <host/devicehandle.h>

#include <QHeaderView>

namespace Benchtop::Ui {

namespace {

QString formatValue(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Double:
    case QMetaType::Float:
        return QString::number(value.toDouble(), 'g', 6);
    case QMetaType::Bool:
        return value.toBool() ? QStringLiteral("on") : QStringLiteral("off");
    case QMetaType::QVariantList:
        return QStringLiteral("[%1 values]").arg(value.toList().size());
    default:
        return value.toString();
    }
}

} // namespace

DeviceTable::DeviceTable(std::vector<std::unique_ptr<DeviceHandle>> handles, QWidget *parent)
    : QTreeWidget(parent)
    , m_handles(std::move(handles))
{
    setObjectName(QStringLiteral("deviceTable"));
    setHeaderLabels({tr("Device"), tr("Driver"), tr("Status"), tr("Values")});
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    header()->setSectionResizeMode(ValuesColumn, QHeaderView::Stretch);
    for (int row = 0; row < int(m_handles.size()); ++row) {
        auto *item = new QTreeWidgetItem(this);
        item->setText(NameColumn, m_handles[row]->name());
        DeviceHandle *handle = m_handles[row].get();
        connect(handle, &DeviceHandle::snapshotChanged, this, [this, row] { refresh(row); });
        connect(handle, &DeviceHandle::descriptionChanged, this, [this, row] {
            refresh(row);
            resizeColumnToContents(KindColumn);
        });
    }
    for (int column = NameColumn; column < ValuesColumn; ++column)
        resizeColumnToContents(column);
}

DeviceTable::~DeviceTable() = default;

int DeviceTable::faultCount() const
{
    return int(std::count_if(m_handles.begin(), m_handles.end(),
        [](const auto &h) { return h->snapshot().status == DeviceStatus::Fault; }));
}

void DeviceTable::refresh(int row)
{
    const DeviceHandle &handle = *m_handles[row];
    const DeviceSnapshot &snapshot = handle.snapshot();
    QTreeWidgetItem *item = topLevelItem(row);
    item->setText(KindColumn, handle.description().kind);
    QString status;
    switch (snapshot.status) {
    case DeviceStatus::Fault:
        status = tr("fault: %1").arg(snapshot.fault);
        break;
    case DeviceStatus::Stopped:
        status = tr("stopped");
        break;
    case DeviceStatus::Ready:
        status = snapshot.busy ? tr("busy") : tr("ready");
        break;
    }
    const QString previous = item->text(StatusColumn);
    item->setText(StatusColumn, status);
    item->setToolTip(StatusColumn, status);
    item->setForeground(
        StatusColumn, snapshot.status == DeviceStatus::Fault ? QBrush(Qt::red) : palette().text());
    QStringList shown;
    for (const PropertyInfo &property : handle.description().properties) {
        if (property.controlKind != ControlKind::Hinted)
            continue;
        const QVariant value = valueAt(snapshot.values, property.stateKey);
        if (!value.isValid())
            continue;
        QString text = property.name + QLatin1String(" = ") + formatValue(value);
        if (!property.units.isEmpty())
            text += QLatin1Char(' ') + property.units;
        shown << text;
    }
    item->setText(ValuesColumn, shown.join(QLatin1String(", ")));
    if (previous != status)
        Q_EMIT statusesChanged();
}

} // namespace Benchtop::Ui
