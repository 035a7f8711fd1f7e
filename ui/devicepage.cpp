// SPDX-License-Identifier: MIT
#include "devicepage.h"

#include "panels/devicepanel.h"
#include "plot/devicearrayplots.h"
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
    m_plots = new QSplitter(Qt::Vertical, this);
    m_plot = new DevicePlot(handle, m_plots, history);
    m_arrays = new DeviceArrayPlots(handle, m_plots);
    m_plots->addWidget(m_plot);
    m_plots->addWidget(m_arrays);
    showPlotsIfUseful();
    connect(handle, &DeviceHandle::descriptionChanged, m_plot, [this] { showPlotsIfUseful(); });
    // The arrays' shapes are asked of the device: their plots come after the description.
    connect(m_arrays, &DeviceArrayPlots::plotsChanged, this, [this] { showPlotsIfUseful(); });
    addWidget(m_scroll);
    addWidget(m_plots);
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

void DevicePage::showPlotsIfUseful()
{
    const QList<PropertyInfo> &properties = m_handle->description().properties;
    const bool timePlot
        = std::any_of(properties.cbegin(), properties.cend(), DevicePlot::isPlotted);
    m_plot->setVisible(timePlot);
    m_arrays->setVisible(!m_arrays->isEmpty());
    m_plots->setVisible(timePlot || !m_arrays->isEmpty());
}

} // namespace Benchtop::Ui
