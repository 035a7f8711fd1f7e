// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "devicelist/devicelistmodel.h"
#include "dialogs/adddevicedialog.h"
#include "dialogs/yaqconnectdialog.h"
#include "escapekey.h"
#include "log/eventlog.h"
#include "log/logpane.h"
#include "loopstatus.h"
#include "panels/devicepanel.h"
#include "widgets/numberformat.h"
#include <session/labsession.h>

#include <device/deviceerror.h>
#include <device/traits.h>
#include <host/devicehandle.h>
#include <host/labloader.h>
#include <plugins/pluginregistry.h>
#include <session/labsession.h>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QHeaderView>
#include <QIcon>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScopedValueRollback>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>

namespace Benchtop::Ui {

namespace {

/// LabSession::addDevice as the yaq dialog takes it: a refusal is a DeviceError.
QCoro::Task<> addOrThrow(LabSession &session, DeviceSettings settings)
{
    if (const LabSession::Result added = co_await session.addDevice(std::move(settings)); !added)
        throw DeviceError(added.error);
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
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::selectCurrentTabsDevice);
    m_centre->addWidget(empty);
    m_centre->addWidget(m_tabs);
    // The lab's errors, above the panels across the window's width: one line each, never
    // wrapped into the narrow device dock (scroll sideways for the end of a long one).
    m_labErrors = new QPlainTextEdit(this);
    m_labErrors->setObjectName(QStringLiteral("labErrors"));
    m_labErrors->setReadOnly(true);
    m_labErrors->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_labErrors->hide();
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->addWidget(m_labErrors);
    centralLayout->addWidget(m_centre, 1);
    setCentralWidget(central);

    createDocks();
    createMenus();

    m_deviceCount = new QLabel(this);
    m_deviceCount->setObjectName(QStringLiteral("deviceCountLabel"));
    m_loopStatus = new LoopStatus(this);
    statusBar()->addPermanentWidget(m_deviceCount);
    auto *separator = new QFrame(this);
    separator->setFrameShape(QFrame::VLine);
    separator->setFrameShadow(QFrame::Sunken);
    statusBar()->addPermanentWidget(separator);
    statusBar()->addPermanentWidget(m_loopStatus);

    connect(m_model, &DeviceListModel::countsChanged, this, &MainWindow::updateCounts);
    // A device added or removed changes the count without changing the others.
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateCounts);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateCounts);
    connect(&m_session, &LabSession::modifiedChanged, this, &QWidget::setWindowModified);
    connect(m_model, &DeviceListModel::statusChanged, this, &MainWindow::logStatus);
    connect(&m_session, &LabSession::healthChanged, m_loopStatus, &LoopStatus::showHealth);
    connect(&m_session, &LabSession::loopStalled, m_loopStatus, &LoopStatus::showStall);
    connect(&m_session, &LabSession::loopStallEnded, m_loopStatus, &LoopStatus::endStall);
    connect(m_loopStatus, &LoopStatus::noted, this,
        [this](const QString &device, const QString &message) {
            m_log->add(EventLog::Category::Loop, device, message);
        });
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
    // The columns fit the dock's width, never wider: the name and the status whole, the kind
    // elided when the dock is narrow (hover shows it).
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->horizontalHeader()->setStretchLastSection(false);
    m_list->horizontalHeader()->setSectionResizeMode(
        DeviceListModel::NameColumn, QHeaderView::ResizeToContents);
    m_list->horizontalHeader()->setSectionResizeMode(
        DeviceListModel::KindColumn, QHeaderView::Stretch);
    m_list->horizontalHeader()->setSectionResizeMode(
        DeviceListModel::StatusColumn, QHeaderView::ResizeToContents);
    connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &MainWindow::openSelectedPanels);
    layout->addWidget(m_list, 1);

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
    resizeDocks({devicesDock}, {280}, Qt::Horizontal);
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
    addAction(file, tr("Re&load lab"), "reloadLabAction", QKeySequence(Qt::Key_F5),
        &MainWindow::reloadLab);
    addAction(file, tr("&Save lab"), "saveLabAction", QKeySequence::Save, &MainWindow::saveLab);
    addAction(file, tr("Save lab &as…"), "saveLabAsAction",
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), &MainWindow::saveLabAs);
    addAction(file, tr("Save lo&g…"), "saveLogAction", QKeySequence(), &MainWindow::saveLog);
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
    // Esc stops motion wherever the focus is in this window, except in a field being edited,
    // where it cancels the edit (EscapeKey); popups, menus and dialogs take Esc themselves.
    stop->setShortcutContext(Qt::WindowShortcut);
    new EscapeKey(this);
    // And always in sight: a red button in a tool bar that cannot be hidden.
    QToolBar *bar = addToolBar(tr("Stop"));
    bar->setObjectName(QStringLiteral("stopToolBar"));
    bar->setMovable(false);
    bar->setFloatable(false);
    bar->toggleViewAction()->setEnabled(false);
    bar->addAction(stop);
    QWidget *stopButton = bar->widgetForAction(stop);
    stopButton->setObjectName(QStringLiteral("stopAllButton"));
    stopButton->setToolTip(tr("Stop every device that can stop (Esc)"));
    stopButton->setStyleSheet(
        QStringLiteral("QToolButton { background: #c62828; color: white; font-weight: bold;"
                       " padding: 3px 14px; border: 1px solid #8e0000; border-radius: 3px; }"
                       "QToolButton:pressed { background: #8e0000; }"));
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
    settleChangesThen(tr("Save them before opening another lab?"), [this, path] {
        saveLayout();
        showOpenedLab(m_session.open(path));
    });
}

void MainWindow::reloadLab()
{
    if (!m_session.isOpen())
        return;
    settleChangesThen(tr("Reloading the lab reads its file again. Save them first?"), [this] {
        saveLayout();
        showOpenedLab(m_session.reload());
    });
}

void MainWindow::closeWithoutAsking()
{
    m_closeSettled = true;
    close();
}

void MainWindow::settleChangesThen(const QString &question, std::function<void()> proceed)
{
    if (!m_session.isModified()) {
        proceed();
        return;
    }
    if (m_unsavedQuestion) { // asked already: one question at a time
        m_unsavedQuestion->raise();
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Unsaved changes"),
        tr("Devices were added to or removed from %1, and the lab is not saved.")
            .arg(m_session.title()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("unsavedChangesDialog"));
    box->setInformativeText(question);
    box->setDefaultButton(QMessageBox::Save);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, proceed = std::move(proceed)] {
        const QMessageBox::StandardButton answer = box->standardButton(box->clickedButton());
        if (answer == QMessageBox::Discard || (answer == QMessageBox::Save && chooseFileAndSave()))
            proceed();
    });
    m_unsavedQuestion = box;
    box->open();
}

void MainWindow::showTitle()
{
    setWindowTitle(tr("%1[*] — Benchtop").arg(m_session.title()));
    setWindowModified(m_session.isModified());
}

void MainWindow::showOpenedLab(const QList<LabError> &problems)
{
    showTitle();
    for (const auto &handle : m_session.handles())
        addDeviceView(handle.get());
    QStringList errors;
    for (const LabError &problem : problems) {
        // A warning does not stop its device: the log says it, the errors panel does not.
        if (problem.isError()) {
            errors << problem.toString();
            // Its device shows the fault next: the log has said it here already.
            if (!problem.device.isEmpty())
                m_statusLog.faultAlreadyLogged(problem.device);
        }
        m_log->add(problem.isError() ? EventLog::Category::Fault : EventLog::Category::Info,
            problem.device, problem.toString());
    }
    m_labErrors->setVisible(!errors.isEmpty());
    // As high as its lines (the heading and each error), up to six; it scrolls beyond.
    m_labErrors->setFixedHeight(
        m_labErrors->fontMetrics().lineSpacing() * int(std::min<qsizetype>(errors.size() + 1, 6))
        + 2 * m_labErrors->frameWidth() + 8);
    m_labErrors->setPlainText(errors.isEmpty()
            ? QString()
            : tr("This lab has errors; the devices concerned are in fault:\n")
                + errors.join(QLatin1Char('\n')));
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
    connect(handle, &DeviceHandle::snapshotChanged, this, [this, handle] {
        m_history.record(*handle);
        logMotion(handle);
    });
}

void MainWindow::logMotion(DeviceHandle *handle)
{
    const DeviceSnapshot &snapshot = handle->snapshot();
    NumberFormat format;
    for (const PropertyInfo &property : handle->description().properties) {
        if (property.name == StateKey::Position)
            format = NumberFormat::of(property);
    }
    if (const auto line
        = m_motionNotes.changed(handle->name(), snapshot.busy, snapshot.values, format))
        m_log->add(EventLog::Category::Info, handle->name(), *line);
    if (const auto line = m_loopNotes.changed(handle->name(), snapshot.values))
        m_log->add(EventLog::Category::Fault, handle->name(), *line);
}

void MainWindow::removeDeviceView(const QString &name)
{
    for (int i = m_tabs->count() - 1; i >= 0; --i) {
        if (m_tabs->tabText(i) == name)
            closeTab(i);
    }
    m_model->removeHandle(name);
    m_statusLog.forget(name);
    m_motionNotes.forget(name);
    m_history.forget(name);
    m_loopNotes.forget(name);
    updateCounts();
}

void MainWindow::clearLab()
{
    saveLayout();
    while (m_tabs->count() > 0)
        closeTab(0);
    while (m_model->rowCount() > 0) {
        const QString name = m_model->handle(0)->name();
        m_model->removeHandle(name);
        m_statusLog.forget(name);
        m_motionNotes.forget(name);
        m_loopNotes.forget(name);
    }
    m_history.clear();
    m_layoutRestored = false;
}

DevicePage *MainWindow::openPanel(const QString &device)
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (m_tabs->tabText(i) == device) {
            m_tabs->setCurrentIndex(i);
            return static_cast<DevicePage *>(m_tabs->widget(i));
        }
    }
    DeviceHandle *handle = m_session.handle(device);
    if (!handle)
        return nullptr;
    auto *page = new DevicePage(handle, nullptr, m_history.find(device));
    DevicePanel *panel = page->panel();
    connect(panel, &DevicePanel::operatorAction, this,
        [this](const QString &name, const QString &what) {
            m_log->add(EventLog::Category::Action, name, what);
        });
    connect(panel, &DevicePanel::inputRefused, this,
        [this](const QString &name, const QString &reason) {
            m_log->add(EventLog::Category::Refused, name, reason);
        });
    connect(panel, &DevicePanel::notified, this, [this](const QString &name, const QString &text) {
        m_log->add(EventLog::Category::Info, name, text);
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
    // Its row is no longer selected: selecting it again opens the panel again.
    const int row = m_model->rowOf(m_tabs->tabText(index));
    if (row >= 0) {
        const QScopedValueRollback syncing(m_syncingSelection, true);
        m_list->selectionModel()->select(
            m_model->index(row, 0), QItemSelectionModel::Deselect | QItemSelectionModel::Rows);
    }
    m_tabs->removeTab(index);
    delete page; // at once: it holds a handle that may be about to go
    if (m_tabs->count() == 0)
        m_centre->setCurrentIndex(0);
}

void MainWindow::openSelectedPanels()
{
    if (m_syncingSelection)
        return;
    const QScopedValueRollback syncing(m_syncingSelection, true);
    QItemSelectionModel *selection = m_list->selectionModel();
    for (const QModelIndex &row : selection->selectedRows()) {
        if (DeviceHandle *handle = m_model->handle(row.row()))
            openPanel(handle->name());
    }
    // The row clicked last is the current tab, wherever it is in the list.
    const QModelIndex current = selection->currentIndex();
    if (current.isValid() && selection->isRowSelected(current.row())) {
        if (DeviceHandle *handle = m_model->handle(current.row()))
            openPanel(handle->name());
    }
}

void MainWindow::selectCurrentTabsDevice(int index)
{
    if (m_syncingSelection || index < 0)
        return;
    const int row = m_model->rowOf(m_tabs->tabText(index));
    if (row < 0)
        return;
    const QScopedValueRollback syncing(m_syncingSelection, true);
    QItemSelectionModel *selection = m_list->selectionModel();
    const QModelIndex cell = m_model->index(row, 0);
    // A device already among the selected ones becomes the current row; any other becomes the
    // only selected one, as a click on its row would make it.
    selection->setCurrentIndex(cell,
        selection->isRowSelected(row)
            ? QItemSelectionModel::NoUpdate
            : QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_list->scrollTo(cell);
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

void MainWindow::updateCounts()
{
    const int devices = m_model->rowCount();
    QString text = devices == 1 ? tr("1 device") : tr("%1 devices").arg(devices);
    if (m_model->faultCount() > 0)
        text += tr(" · %1 in fault").arg(m_model->faultCount());
    if (m_model->disconnectedCount() > 0)
        text += tr(" · %1 disconnected").arg(m_model->disconnectedCount());
    if (m_model->staleCount() > 0)
        text += tr(" · %1 stale").arg(m_model->staleCount());
    m_deviceCount->setText(text);
}

void MainWindow::logStatus(const QString &device, const QString &status, const QString &reason)
{
    if (const auto line = m_statusLog.changed(device, status, reason))
        m_log->add(line->category, device, line->message);
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
    if (!m_closeSettled && m_session.isModified()) {
        event->ignore(); // closed again once answered
        settleChangesThen(tr("Save them before quitting?"), [this] { closeWithoutAsking(); });
        return;
    }
    m_closeSettled = false;
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

void MainWindow::saveLab()
{
    if (!m_session.isOpen())
        return;
    // The built-in lab's resource path is no place to save: a file is asked for, as Save as does.
    if (m_session.path().startsWith(QLatin1Char(':')))
        chooseFileAndSave();
    else
        saveLabTo(m_session.path());
}

void MainWindow::saveLabAs()
{
    if (m_session.isOpen())
        chooseFileAndSave();
}

bool MainWindow::chooseFileAndSave()
{
    // The lab's own file is offered first (the dialog asks before replacing it); the built-in
    // lab's resource path is no place to save.
    const QString suggested
        = m_session.path().startsWith(QLatin1Char(':')) ? QString() : m_session.path();
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save lab as"), suggested, tr("Lab files (*.toml)"));
    return !path.isEmpty() && saveLabTo(path);
}

void MainWindow::saveLog()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save log"), QString(), tr("Text files (*.txt *.log);;All files (*)"));
    if (!path.isEmpty())
        saveLogTo(path);
}

bool MainWindow::saveLogTo(const QString &path)
{
    QSaveFile file(path);
    const QByteArray text = m_log->toFileText().toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        const QString error
            = tr("The log could not be saved to %1: %2").arg(path, file.errorString());
        m_log->add(EventLog::Category::Refused, {}, error);
        auto *box
            = new QMessageBox(QMessageBox::Warning, tr("Save log"), error, QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("saveLogFailedDialog"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return false;
    }
    m_log->add(EventLog::Category::Action, {}, tr("Saved the log as %1").arg(path));
    return true;
}

bool MainWindow::saveLabTo(const QString &typedPath)
{
    // A name typed without an extension gets the lab file's.
    const QString path
        = QFileInfo(typedPath).suffix().isEmpty() ? typedPath + QStringLiteral(".toml") : typedPath;
    if (const LabSession::Result saved = m_session.saveAs(path); !saved) {
        m_log->add(EventLog::Category::Refused, {}, saved.error);
        auto *box = new QMessageBox(
            QMessageBox::Warning, tr("Save lab as"), saved.error, QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("saveFailedDialog"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return false;
    }
    showTitle();
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
    const PluginRegistry::Result result = m_session.registry().addFile(path);
    if (result) {
        QStringList kinds;
        for (const DriverInfo &driver : result.plugin->drivers)
            kinds << driver.kind;
        m_log->add(EventLog::Category::Plugin, {},
            tr("Loaded plugin %1: %2").arg(path, kinds.join(QStringLiteral(", "))));
        statusBar()->showMessage(
            tr("Plugin loaded: %1").arg(kinds.join(QStringLiteral(", "))), 5000);
        return true;
    }
    const QString reason = result.errorText;
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
    m_addDialog = new AddDeviceDialog(labDriversOf(m_session.registry()), labDevices(), this);
    m_addDialog->setAttribute(Qt::WA_DeleteOnClose);
    m_addDialog->setKind(m_addKind);
    connect(m_addDialog, &QDialog::finished, this,
        [this, dialog = m_addDialog.data()] { m_addKind = dialog->kind(); });
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
    m_yaqDialog = new YaqConnectDialog(
        labDevices(), [this](DeviceSettings settings) { return addOrThrow(m_session, settings); },
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

QList<LabDevice> MainWindow::labDevices() const
{
    QList<LabDevice> devices;
    for (const DeviceSettings &device : m_session.devices())
        devices << LabDevice{device.name, device.kind, device.port, device.config, 0, 0, {}};
    return devices;
}

void MainWindow::onEach(const QStringList &devices, const QString &action, const char *task,
    std::function<QCoro::Task<LabSession::Result>(const QString &name)> operation)
{
    for (const QString &name : devices) {
        m_log->add(EventLog::Category::Action, name, action);
        m_tasks.spawn(task, [this, name, operation]() -> QCoro::Task<> {
            if (const LabSession::Result done = co_await operation(name); !done)
                m_log->add(EventLog::Category::Refused, name, done.error);
        });
    }
}

void MainWindow::removeSelected()
{
    const QStringList devices = selectedDevices();
    auto remove = [this, devices] {
        onEach(devices, tr("Remove device"), "remove device",
            [this](const QString &name) { return m_session.removeDevice(name); });
    };
    QStringList busy;
    for (const QString &name : devices) {
        if (const DeviceHandle *handle = m_session.handle(name); handle && handle->snapshot().busy)
            busy << name;
    }
    if (busy.isEmpty()) {
        remove();
        return;
    }
    // Removing stops it mid-move or mid-measurement: a slip of the finger should not.
    auto *box = new QMessageBox(QMessageBox::Question, tr("Remove device"),
        busy.size() == 1 ? tr("%1 is busy.").arg(busy.first())
                         : tr("%1 are busy.").arg(busy.join(QStringLiteral(", "))),
        QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("removeBusyDialog"));
    box->setInformativeText(tr("Removing stops what it is doing. Remove anyway?"));
    QPushButton *removeButton = box->addButton(tr("Remove"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [box, removeButton, remove] {
        if (box->clickedButton() == removeButton)
            remove();
    });
    box->open();
}

void MainWindow::restartSelected()
{
    onEach(selectedDevices(), tr("Restart device"), "restart device",
        [this](const QString &name) { return m_session.restartDevice(name); });
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
