// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "devicelist/devicelistmodel.h"
#include "dialogs/adddevicedialog.h"
#include "dialogs/yaqconnectdialog.h"
#include "log/eventlog.h"
#include "log/logpane.h"
#include "panels/devicepanel.h"
#include "plot/deviceplot.h"

#include <device/deviceerror.h>
#include <host/devicehandle.h>
#include <plugins/pluginregistry.h>
#include <session/labsession.h>

#include <algorithm>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

namespace Benchtop::Ui {

namespace {

QString milliseconds(std::chrono::microseconds time)
{
    const double ms = double(time.count()) / 1000.0;
    return QStringLiteral("%1 ms").arg(ms, 0, 'f', ms < 10 ? 2 : 0);
}

/// LabSession::addDevice as the yaq dialog takes it: a refusal is a DeviceError.
QCoro::Task<> addOrThrow(LabSession &session, DeviceSettings settings)
{
    if (const LabSession::Result added = co_await session.addDevice(std::move(settings)); !added)
        throw DeviceError(added.error);
}

/// What the log last said of a device.
struct LoggedStatus {
    QString status;
    QString reason;
};

/// What the log says when a device's shown status changes; empty for ordinary changes. A device
/// that reconnects by itself goes disconnected → connecting → disconnected … at every attempt:
/// the log says it once, again only when the reason changes, and once more when it is back.
QString statusMessage(const QString &status, const QString &reason, const LoggedStatus &before)
{
    static const QStringList troubles{
        QStringLiteral("fault"), QStringLiteral("disconnected"), QStringLiteral("stale")};
    const bool reconnecting = before.status == QLatin1String("disconnected");
    if (reconnecting && status == QLatin1String("connecting"))
        return {};
    if (troubles.contains(status)) {
        if (status == before.status && reason == before.reason)
            return {};
        return reason.isEmpty() ? status : QStringLiteral("%1: %2").arg(status, reason);
    }
    if (reconnecting)
        return QStringLiteral("reconnected");
    if (troubles.contains(before.status))
        return QStringLiteral("%1 again (was %2)").arg(status, before.status);
    return {};
}

QString deviceOfError(const QString &error)
{
    static const QString marker = QStringLiteral("device \"");
    const qsizetype at = error.indexOf(marker);
    if (at < 0)
        return {};
    const qsizetype start = at + marker.size();
    return error.mid(start, error.indexOf(QLatin1Char('"'), start) - start);
}

} // namespace

MainWindow::MainWindow(LabSession &session, QWidget *parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_log(new EventLog(this))
    , m_model(new DeviceListModel(this))
{
    setWindowTitle(tr("Benchtop"));
    setWindowIcon(QIcon(QStringLiteral(":/benchtop/icons/benchtop-256.png")));
    setObjectName(QStringLiteral("mainWindow"));
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);

    m_centre = new QStackedWidget(this);
    auto *empty = new QLabel(tr("<h2>No device selected</h2>"
                                "<p>Select devices in the list to open their panels.</p>"),
        m_centre);
    empty->setObjectName(QStringLiteral("emptyLabLabel"));
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    m_tabs = new QTabWidget(m_centre);
    m_tabs->setObjectName(QStringLiteral("panelTabs"));
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    m_centre->addWidget(empty);
    m_centre->addWidget(m_tabs);
    setCentralWidget(m_centre);

    createDocks();
    createMenus();

    m_deviceCount = new QLabel(this);
    m_deviceCount->setObjectName(QStringLiteral("deviceCountLabel"));
    m_loopStatus = new QLabel(tr("Device loop: no lab open"), this);
    m_loopStatus->setObjectName(QStringLiteral("loopStatusLabel"));
    m_loopStatus->setToolTip(
        tr("How late the device loop wakes up now, and the longest time one device call "
           "held it in the last minute"));
    statusBar()->addPermanentWidget(m_deviceCount);
    auto *separator = new QFrame(this);
    separator->setFrameShape(QFrame::VLine);
    separator->setFrameShadow(QFrame::Sunken);
    statusBar()->addPermanentWidget(separator);
    statusBar()->addPermanentWidget(m_loopStatus);

    connect(m_model, &DeviceListModel::countsChanged, this, &MainWindow::updateCounts);
    connect(m_model, &DeviceListModel::statusChanged, this, &MainWindow::logStatus);
    connect(&m_session, &LabSession::healthChanged, this, &MainWindow::showHealth);
    connect(&m_session, &LabSession::loopStalled, this, &MainWindow::showStall);
    m_stallTicker.setInterval(100);
    connect(&m_stallTicker, &QTimer::timeout, this, &MainWindow::showStallTime);
    connect(&m_session, &LabSession::loopStallEnded, this, &MainWindow::endStall);
    connect(&m_session, &LabSession::deviceAdded, this, &MainWindow::addDeviceView);
    connect(&m_session, &LabSession::deviceRemoved, this, &MainWindow::removeDeviceView);
    connect(&m_session, &LabSession::aboutToClose, this, &MainWindow::clearLab);
    connect(&m_session, &LabSession::bindingFailed, this,
        [this](const QString &binding, const QString &reason) {
            m_log->add(EventLog::Category::Refused, binding.section(QLatin1Char('.'), 0, 0),
                tr("binding %1 failed: %2").arg(binding, reason));
        });
    connect(&m_session, &LabSession::callFailed, this,
        [this](const QString &device, const QString &reason) {
            m_log->add(EventLog::Category::Refused, device, reason);
        });

    resize(1280, 800);
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (m_session.isOpen())
        showOpenedLab({});
}

MainWindow::~MainWindow()
{
    // Views hold handles the session owns: drop them while the session is still there.
    disconnect(&m_session, nullptr, this, nullptr);
    clearLab();
}

AddDeviceDialog *MainWindow::addDeviceDialog() const
{
    return m_addDialog;
}

YaqConnectDialog *MainWindow::yaqConnectDialog() const
{
    return m_yaqDialog;
}

void MainWindow::createDocks()
{
    auto *devices = new QWidget(this);
    auto *layout = new QVBoxLayout(devices);
    layout->setContentsMargins(0, 0, 0, 0);
    m_list = new QTableView(devices);
    m_list->setObjectName(QStringLiteral("deviceList"));
    m_list->setModel(m_model);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->verticalHeader()->hide();
    m_list->setShowGrid(false);
    m_list->setAlternatingRowColors(true);
    m_list->horizontalHeader()->setStretchLastSection(true);
    m_list->horizontalHeader()->setSectionResizeMode(
        DeviceListModel::NameColumn, QHeaderView::ResizeToContents);
    m_list->horizontalHeader()->setSectionResizeMode(
        DeviceListModel::KindColumn, QHeaderView::ResizeToContents);
    connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &MainWindow::openSelectedPanels);
    layout->addWidget(m_list, 1);
    m_labErrors = new QPlainTextEdit(devices);
    m_labErrors->setObjectName(QStringLiteral("labErrors"));
    m_labErrors->setReadOnly(true);
    m_labErrors->setMaximumHeight(140);
    m_labErrors->hide();
    layout->addWidget(m_labErrors);

    auto *devicesDock = new QDockWidget(tr("Devices"), this);
    devicesDock->setObjectName(QStringLiteral("devicesDock"));
    devicesDock->setWidget(devices);
    addDockWidget(Qt::LeftDockWidgetArea, devicesDock);

    auto *pane = new LogPane(m_log, this);
    pane->setObjectName(QStringLiteral("logPane"));
    auto *logDock = new QDockWidget(tr("Log"), this);
    logDock->setObjectName(QStringLiteral("logDock"));
    logDock->setWidget(pane);
    addDockWidget(Qt::BottomDockWidgetArea, logDock);
    resizeDocks({devicesDock}, {330}, Qt::Horizontal);
    resizeDocks({logDock}, {170}, Qt::Vertical);
}

void MainWindow::createMenus()
{
    auto addAction = [this](QMenu *menu, const QString &text, const char *name,
                         const QKeySequence &shortcut, auto slot) {
        QAction *action = menu->addAction(text, this, slot);
        action->setObjectName(QLatin1String(name));
        action->setShortcut(shortcut);
        return action;
    };

    QMenu *file = menuBar()->addMenu(tr("&File"));
    addAction(file, tr("&Open lab…"), "openLabAction", QKeySequence::Open, &MainWindow::chooseLab);
    addAction(file, tr("&Save lab as…"), "saveLabAsAction",
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), &MainWindow::saveLabAs);
    file->addSeparator();
    addAction(file, tr("&Load plugin…"), "loadPluginAction", QKeySequence(Qt::CTRL | Qt::Key_L),
        &MainWindow::choosePlugin);
    file->addSeparator();
    // Ctrl+Q everywhere: QKeySequence::Quit is empty on platforms whose theme has no binding.
    m_quitAction = addAction(
        file, tr("&Quit"), "quitAction", QKeySequence(Qt::CTRL | Qt::Key_Q), &QWidget::close);

    QMenu *devices = menuBar()->addMenu(tr("&Devices"));
    addAction(devices, tr("&Add device…"), "addDeviceAction", QKeySequence(Qt::CTRL | Qt::Key_N),
        &MainWindow::showAddDevice);
    addAction(devices, tr("&Connect to yaq daemon…"), "connectYaqAction", QKeySequence(),
        &MainWindow::showConnectYaq);
    m_removeAction = addAction(devices, tr("&Remove device"), "removeDeviceAction",
        QKeySequence(Qt::CTRL | Qt::Key_Delete), &MainWindow::removeSelected);
    m_restartAction = addAction(devices, tr("R&estart device"), "restartDeviceAction",
        QKeySequence(Qt::CTRL | Qt::Key_R), &MainWindow::restartSelected);
    devices->addSeparator();
    QAction *stop = addAction(devices, tr("&Stop all"), "stopAllAction",
        QKeySequence(Qt::Key_Escape), &MainWindow::stopAll);
    // Esc stops motion wherever the focus is in this window, a spin box included.
    stop->setShortcutContext(Qt::WindowShortcut);
    addAction(devices, tr("&Measure all"), "measureAllAction", QKeySequence(Qt::CTRL | Qt::Key_M),
        &MainWindow::measureAll);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    m_aboutAction = help->addAction(tr("&About Benchtop"), this, &MainWindow::showAbout);
    m_aboutAction->setObjectName(QStringLiteral("aboutAction"));
}

void MainWindow::openLab(const QString &path)
{
    saveLayout();
    QStringList errors;
    for (const LabError &error : m_session.open(path))
        errors << error.toString();
    showOpenedLab(errors);
}

void MainWindow::showOpenedLab(const QStringList &errors)
{
    setWindowTitle(tr("%1 — Benchtop").arg(m_session.title()));
    for (const auto &handle : m_session.handles())
        addDeviceView(handle.get());
    m_labErrors->setVisible(!errors.isEmpty());
    m_labErrors->setPlainText(errors.isEmpty()
            ? QString()
            : tr("This lab has errors; the devices concerned are in fault:\n")
                + errors.join(QLatin1Char('\n')));
    for (const QString &error : errors)
        m_log->add(EventLog::Category::Fault, deviceOfError(error), error);
    m_log->add(EventLog::Category::Info, {},
        tr("Opened %1 (%2): %3 devices")
            .arg(m_session.title(), m_session.path())
            .arg(m_session.handles().size()));
    updateCounts();
    restoreLayout();
}

void MainWindow::addDeviceView(DeviceHandle *handle)
{
    m_model->addHandle(handle);
}

void MainWindow::removeDeviceView(const QString &name)
{
    for (int i = m_tabs->count() - 1; i >= 0; --i) {
        if (m_tabs->tabText(i) == name)
            closeTab(i);
    }
    m_model->removeHandle(name);
    updateCounts();
}

void MainWindow::clearLab()
{
    saveLayout();
    while (m_tabs->count() > 0)
        closeTab(0);
    while (m_model->rowCount() > 0)
        m_model->removeHandle(m_model->handle(0)->name());
    m_layoutRestored = false;
}

QWidget *MainWindow::openPanel(const QString &device)
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (m_tabs->tabText(i) == device) {
            m_tabs->setCurrentIndex(i);
            return m_tabs->widget(i);
        }
    }
    DeviceHandle *handle = m_session.handle(device);
    if (!handle)
        return nullptr;
    auto *page = new QSplitter(Qt::Horizontal);
    page->setObjectName(QStringLiteral("device:") + device);
    auto *scroll = new QScrollArea(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // The panel keeps its natural width (a stretch beside it), so that its controls stay
    // together when the page is wide and the plot is hidden.
    auto *holder = new QWidget(scroll);
    auto *holderLayout = new QHBoxLayout(holder);
    holderLayout->setContentsMargins(0, 0, 0, 0);
    auto *panel = new DevicePanel(handle, holder);
    holderLayout->addWidget(panel);
    holderLayout->addStretch(1);
    scroll->setWidget(holder);
    // The panel's sections come with the device's description, which may arrive later (a
    // device still connecting): its width is taken again then, once its layout has settled.
    auto fitPanel
        = [scroll, panel] { scroll->setMinimumWidth(panel->minimumSizeHint().width() + 24); };
    fitPanel();
    connect(handle, &DeviceHandle::descriptionChanged, scroll,
        [scroll, fitPanel] { QTimer::singleShot(0, scroll, fitPanel); });
    auto *plot = new DevicePlot(handle, page);
    // A device with nothing to plot (a digital panel, a spectrum-only sensor) gets no empty axes.
    auto showPlotIfUseful = [plot, handle] {
        const QList<PropertyInfo> &properties = handle->description().properties;
        plot->setVisible(
            std::any_of(properties.cbegin(), properties.cend(), DevicePlot::isPlotted));
    };
    showPlotIfUseful();
    connect(handle, &DeviceHandle::descriptionChanged, plot, showPlotIfUseful);
    page->addWidget(scroll);
    page->addWidget(plot);
    page->setStretchFactor(0, 0);
    page->setStretchFactor(1, 1);
    connect(panel, &DevicePanel::operatorAction, this,
        [this](const QString &name, const QString &what) {
            m_log->add(EventLog::Category::Action, name, what);
        });
    connect(panel, &DevicePanel::inputRefused, this,
        [this](const QString &name, const QString &reason) {
            m_log->add(EventLog::Category::Refused, name, reason);
        });
    const int index = m_tabs->addTab(page, device);
    m_tabs->setTabToolTip(index, handle->description().kind);
    m_tabs->setCurrentIndex(index);
    m_centre->setCurrentWidget(m_tabs);
    return page;
}

void MainWindow::closeTab(int index)
{
    QWidget *page = m_tabs->widget(index);
    m_tabs->removeTab(index);
    delete page; // at once: it holds a handle that may be about to go
    if (m_tabs->count() == 0)
        m_centre->setCurrentIndex(0);
}

void MainWindow::openSelectedPanels()
{
    const QModelIndexList rows = m_list->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows) {
        if (DeviceHandle *handle = m_model->handle(row.row()))
            openPanel(handle->name());
    }
}

QStringList MainWindow::selectedDevices() const
{
    QStringList names;
    for (const QModelIndex &row : m_list->selectionModel()->selectedRows()) {
        if (DeviceHandle *handle = m_model->handle(row.row()))
            names << handle->name();
    }
    if (names.isEmpty() && m_tabs->count() > 0)
        names << m_tabs->tabText(m_tabs->currentIndex());
    return names;
}

void MainWindow::showHealth(const LoopHealth &health)
{
    m_health = health;
    m_stallTicker.stop(); // the heartbeat ran: the loop is free
    QString text = tr("Loop latency %1").arg(milliseconds(health.latency));
    if (!health.slowestCall.isEmpty()) {
        text += tr(" · slowest call %1 %2")
                    .arg(health.slowestCall, milliseconds(health.slowestCallTime));
    }
    const bool recentStall = m_lastStall
        && std::chrono::steady_clock::now() - m_lastStallEnded < std::chrono::minutes(1);
    if (recentStall) {
        text += tr(" · held by %1 for %2")
                    .arg(m_lastStall->culprit(), formatHeld(m_lastStall->held));
    }
    m_loopStatus->setText(text);
    m_loopStatus->setStyleSheet(recentStall ? QStringLiteral("color: #c87a10") : QString());
    m_loopStatus->setToolTip(
        tr("Device loop now: wakes %1 late (worst in the last minute: %2).\n"
           "Slowest device call in the last minute: %3.")
            .arg(milliseconds(health.latency), milliseconds(health.worstLatency),
                health.slowestCall.isEmpty() ? tr("none")
                                             : QStringLiteral("%1, %2").arg(health.slowestCall,
                                                 milliseconds(health.slowestCallTime))));
}

// Said while the device thread is still held: the watchdog reports from its own thread, and
// this thread is free. Health reports stop meanwhile (the heartbeat is a task of that loop).
void MainWindow::showStall(const Async::LoopStall &stall)
{
    // Reports come at the threshold and then once a second: count up in between.
    m_stall = stall;
    m_stallReportedAt = std::chrono::steady_clock::now();
    showStallTime();
    m_stallTicker.start();
    m_loopStatus->setStyleSheet(QStringLiteral("color: #d03a3a; font-weight: bold"));
    if (const auto note = m_stallNotes.stalled(stall))
        m_log->add(EventLog::Category::Loop, note->device, note->message);
}

void MainWindow::showStallTime()
{
    const auto held = m_stall.held
        + std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - m_stallReportedAt);
    m_loopStatus->setText(
        tr("Device loop held by %1 for %2").arg(m_stall.culprit(), formatHeld(held)));
}

void MainWindow::endStall(const Async::LoopStall &stall)
{
    m_stallTicker.stop();
    m_lastStall = stall;
    m_lastStallEnded = std::chrono::steady_clock::now();
    if (const auto note = m_stallNotes.ended(stall, m_lastStallEnded))
        m_log->add(EventLog::Category::Loop, note->device, note->message);
    showHealth(m_health);
}

void MainWindow::updateCounts()
{
    const int devices = m_model->rowCount();
    QString text = devices == 1 ? tr("1 device") : tr("%1 devices").arg(devices);
    if (m_model->faultCount() > 0)
        text += tr(" · %1 in fault").arg(m_model->faultCount());
    if (m_model->staleCount() > 0)
        text += tr(" · %1 stale").arg(m_model->staleCount());
    m_deviceCount->setText(text);
}

void MainWindow::logStatus(const QString &device, const QString &status, const QString &reason)
{
    const LoggedStatus before{m_loggedStatus.value(device), m_loggedReason.value(device)};
    const QString message = statusMessage(status, reason, before);
    if (status == QLatin1String("connecting") && before.status == QLatin1String("disconnected"))
        return; // an attempt: remembered as still disconnected, said when it ends
    m_loggedStatus.insert(device, status);
    m_loggedReason.insert(device, reason);
    if (message.isEmpty())
        return;
    const bool trouble = status == QLatin1String("fault") || status == QLatin1String("disconnected")
        || status == QLatin1String("stale");
    m_log->add(trouble ? EventLog::Category::Fault : EventLog::Category::Info, device, message);
}

QString MainWindow::settingsGroup() const
{
    return QStringLiteral("labs/") + QString::fromLatin1(QUrl::toPercentEncoding(m_session.path()));
}

void MainWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    if (!m_session.isOpen() || !m_layoutRestored)
        return;
    QStringList open;
    for (int i = 0; i < m_tabs->count(); ++i)
        open << m_tabs->tabText(i);
    settings.beginGroup(settingsGroup());
    settings.setValue(QStringLiteral("openPanels"), open);
    settings.setValue(QStringLiteral("currentPanel"),
        m_tabs->count() ? m_tabs->tabText(m_tabs->currentIndex()) : QString());
    settings.endGroup();
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    settings.beginGroup(settingsGroup());
    const QStringList open = settings.value(QStringLiteral("openPanels")).toStringList();
    const QString current = settings.value(QStringLiteral("currentPanel")).toString();
    settings.endGroup();
    for (const QString &device : open)
        openPanel(device);
    if (!current.isEmpty())
        openPanel(current);
    m_layoutRestored = true;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    // Closing the window ends the lab: the devices stop and their state is saved.
    m_session.close();
    event->accept();
}

void MainWindow::chooseLab()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open lab"),
        QFileInfo(m_session.path()).absolutePath(), tr("Lab files (*.toml);;All files (*)"));
    if (!path.isEmpty())
        openLab(path);
}

void MainWindow::saveLabAs()
{
    if (!m_session.isOpen())
        return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save lab as"), QString(), tr("Lab files (*.toml)"));
    if (path.isEmpty())
        return;
    saveLabTo(path);
}

bool MainWindow::saveLabTo(const QString &path)
{
    if (const LabSession::Result saved = m_session.saveAs(path); !saved) {
        m_log->add(EventLog::Category::Refused, {}, saved.error);
        auto *box = new QMessageBox(
            QMessageBox::Warning, tr("Save lab as"), saved.error, QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("saveFailedDialog"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return false;
    }
    setWindowTitle(tr("%1 — Benchtop").arg(m_session.title()));
    m_log->add(EventLog::Category::Action, {}, tr("Saved the lab as %1").arg(path));
    return true;
}

void MainWindow::choosePlugin()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Load plugin"), QString(), tr("Driver plugins (*.so);;All files (*)"));
    if (!path.isEmpty())
        loadPluginFile(path);
}

bool MainWindow::loadPluginFile(const QString &path)
{
    PluginRegistry &registry = m_session.registry();
    if (registry.addFile(path)) {
        QStringList kinds;
        for (const PluginInfo &plugin : registry.plugins()) {
            if (QFileInfo(plugin.path) == QFileInfo(path)) {
                for (const DriverInfo &driver : plugin.drivers)
                    kinds << driver.kind;
            }
        }
        m_log->add(EventLog::Category::Plugin, {},
            tr("Loaded plugin %1: %2").arg(path, kinds.join(QStringLiteral(", "))));
        statusBar()->showMessage(
            tr("Plugin loaded: %1").arg(kinds.join(QStringLiteral(", "))), 5000);
        return true;
    }
    QString reason = tr("it is not a Benchtop driver plugin");
    const QList<PluginRefusal> refusals = registry.refusals();
    for (auto it = refusals.crbegin(); it != refusals.crend(); ++it) {
        if (QFileInfo(it->path) == QFileInfo(path)) {
            reason = it->reason;
            break;
        }
    }
    m_log->add(EventLog::Category::Plugin, {}, tr("Refused plugin %1: %2").arg(path, reason));
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Plugin refused"),
        tr("Benchtop did not load this plugin:\n%1").arg(path), QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("pluginRefusedDialog"));
    box->setInformativeText(reason);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    return false;
}

void MainWindow::showAddDevice()
{
    if (!m_session.isOpen() || m_addDialog)
        return;
    PluginRegistry &registry = m_session.registry();
    QList<DriverInfo> drivers;
    for (const QString &kind : registry.kinds()) {
        if (std::optional<DriverInfo> info = registry.driver(kind))
            drivers << *info;
    }
    QList<LabDevice> existing;
    for (const DeviceSettings &device : m_session.devices())
        existing << LabDevice{device.name, device.kind, device.port, device.config, 0, 0, {}};
    m_addDialog = new AddDeviceDialog(drivers, existing, this);
    m_addDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_addDialog, &QDialog::accepted, this, [this, dialog = m_addDialog.data()] {
        const DeviceSettings settings = dialog->settings();
        m_log->add(EventLog::Category::Action, settings.name,
            tr("Add device %1 (%2)").arg(settings.name, settings.kind));
        m_tasks.spawn("add device", [this, settings]() -> QCoro::Task<> {
            if (const LabSession::Result added = co_await m_session.addDevice(settings); !added)
                m_log->add(EventLog::Category::Refused, settings.name, added.error);
            else
                openPanel(settings.name);
        });
    });
    m_addDialog->open();
}

void MainWindow::showConnectYaq()
{
    if (!m_session.isOpen() || m_yaqDialog)
        return;
    QList<LabDevice> existing;
    for (const DeviceSettings &device : m_session.devices())
        existing << LabDevice{device.name, device.kind, device.port, device.config, 0, 0, {}};
    m_yaqDialog = new YaqConnectDialog(
        existing, [this](DeviceSettings settings) { return addOrThrow(m_session, settings); },
        this);
    m_yaqDialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!m_session.registry().driver(QStringLiteral("yaq"))) {
        m_yaqDialog->setUnavailable(tr("The yaq driver plugin is not loaded: load it with File ▸ "
                                       "Load plugin… to add yaq devices."));
    }
    connect(
        m_yaqDialog, &YaqConnectDialog::deviceAdded, this, [this](const DeviceSettings &settings) {
            m_log->add(EventLog::Category::Action, settings.name,
                tr("Add device %1 (yaq daemon at %2)")
                    .arg(settings.name,
                        settings.config.value(QStringLiteral("address")).toString()));
            openPanel(settings.name);
        });
    m_yaqDialog->open();
}

void MainWindow::removeSelected()
{
    for (const QString &name : selectedDevices()) {
        m_log->add(EventLog::Category::Action, name, tr("Remove device"));
        m_tasks.spawn("remove device", [this, name]() -> QCoro::Task<> {
            if (const LabSession::Result done = co_await m_session.removeDevice(name); !done)
                m_log->add(EventLog::Category::Refused, name, done.error);
        });
    }
}

void MainWindow::restartSelected()
{
    for (const QString &name : selectedDevices()) {
        m_log->add(EventLog::Category::Action, name, tr("Restart device"));
        m_tasks.spawn("restart device", [this, name]() -> QCoro::Task<> {
            if (const LabSession::Result done = co_await m_session.restartDevice(name); !done)
                m_log->add(EventLog::Category::Refused, name, done.error);
        });
    }
}

void MainWindow::stopAll()
{
    const QStringList stopped = m_session.stopAll();
    m_log->add(EventLog::Category::Action, {},
        stopped.isEmpty() ? tr("Stop all: nothing to stop")
                          : tr("Stop all: %1").arg(stopped.join(QStringLiteral(", "))));
    statusBar()->showMessage(tr("Stop sent to %1 devices").arg(stopped.size()), 3000);
}

void MainWindow::measureAll()
{
    const QStringList measured = m_session.measureAll();
    m_log->add(EventLog::Category::Action, {},
        measured.isEmpty() ? tr("Measure all: nothing measures")
                           : tr("Measure all: %1").arg(measured.join(QStringLiteral(", "))));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Benchtop"),
        tr("<h3>Benchtop %1</h3><p>Laboratory instrument control on a native event "
           "loop.</p>")
            .arg(QApplication::applicationVersion()));
}

} // namespace Benchtop::Ui
