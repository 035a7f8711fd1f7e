// SPDX-License-Identifier: MIT
#include "devicepage.h"

#include "panels/devicepanel.h"
#include "plot/deviceplot.h"

#include <host/devicehandle.h>

#include <QHBoxLayout>
#include <QScrollArea>
#include <QTimer>

#include <algorithm>

namespace Benchtop::Ui {

DevicePage::DevicePage(DeviceHandle *handle, QWidget *parent, const DeviceHistory *history)
    : QSplitter(Qt::Horizontal, parent)
    , m_handle(handle)
{
    setObjectName(QStringLiteral("device:") + handle->name());
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    // The panel keeps its natural width (a stretch beside it), so that its controls stay
    // together when the page is wide and the plot is hidden.
    auto *holder = new QWidget(m_scroll);
    auto *holderLayout = new QHBoxLayout(holder);
    holderLayout->setContentsMargins(0, 0, 0, 0);
    m_panel = new DevicePanel(handle, holder);
    holderLayout->addWidget(m_panel);
    holderLayout->addStretch(1);
    m_scroll->setWidget(holder);
    fitPanel();
    // The panel's sections come with the description: its width is taken once they are laid out.
    connect(handle, &DeviceHandle::descriptionChanged, m_scroll,
        [this] { QTimer::singleShot(0, m_scroll, [this] { fitPanel(); }); });
    m_plot = new DevicePlot(handle, this, history);
    showPlotIfUseful();
    connect(handle, &DeviceHandle::descriptionChanged, m_plot, [this] { showPlotIfUseful(); });
    addWidget(m_scroll);
    addWidget(m_plot);
    setStretchFactor(0, 0);
    setStretchFactor(1, 1);
}

void DevicePage::fitPanel()
{
    const int width = m_panel->minimumSizeHint().width() + 24;
    m_scroll->setMinimumWidth(width);
    // The panel at its narrowest, the plot the rest (QSplitter shares out by these weights,
    // and no widget goes below its minimum).
    setSizes({width, 1'000'000});
}

void DevicePage::showPlotIfUseful()
{
    const QList<PropertyInfo> &properties = m_handle->description().properties;
    m_plot->setVisible(std::any_of(properties.cbegin(), properties.cend(), DevicePlot::isPlotted));
}

} // namespace Benchtop::Ui
