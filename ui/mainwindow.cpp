// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "devicetable.h"

#include <host/devicehandle.h>

#include <QAction>
#include <QApplication>
#include <QIcon>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

namespace Benchtop::Ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Benchtop"));
    setWindowIcon(QIcon(QStringLiteral(":/benchtop/icons/benchtop-256.png")));
    setObjectName(QStringLiteral("mainWindow"));

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    auto *placeholder = new QLabel(
        tr("<h2>No lab is open</h2>"
           "<p>Benchtop will list your instruments here: motors, stages, sensors, meters and "
           "digital lines, with their live state.</p>"),
        central);
    placeholder->setObjectName(QStringLiteral("emptyLabLabel"));
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    layout->addWidget(placeholder);
    setCentralWidget(central);

    createMenus();

    m_loopStatus = new QLabel(tr("Device loop: no lab open"), this);
    m_loopStatus->setObjectName(QStringLiteral("loopStatusLabel"));
    statusBar()->addPermanentWidget(m_loopStatus);
    statusBar()->showMessage(tr("Ready"));

    resize(1000, 680);
}

void MainWindow::showLab(const QString &title, std::vector<std::unique_ptr<DeviceHandle>> handles,
    const QStringList &errors)
{
    setWindowTitle(tr("%1 — Benchtop").arg(title));
    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_table = new DeviceTable(std::move(handles), splitter);
    if (!errors.isEmpty()) {
        auto *errorView = new QPlainTextEdit(splitter);
        errorView->setObjectName(QStringLiteral("labErrors"));
        errorView->setReadOnly(true);
        errorView->setPlainText(tr("This lab has errors; the devices concerned are in fault:\n")
            + errors.join(QLatin1Char('\n')));
    }
    setCentralWidget(splitter);
    connect(m_table, &DeviceTable::statusesChanged, this, &MainWindow::updateLoopStatus);
    updateLoopStatus();
}

void MainWindow::updateLoopStatus()
{
    const int devices = m_table->topLevelItemCount();
    const int faults = m_table->faultCount();
    m_loopStatus->setText(faults
            ? tr("Device loop: %1 devices, %2 in fault").arg(devices).arg(faults)
            : tr("Device loop: %1 devices running").arg(devices));
}

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    m_quitAction = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    // Ctrl+Q everywhere: QKeySequence::Quit is empty on platforms whose theme has no binding.
    m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quitAction->setObjectName(QStringLiteral("quitAction"));

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    m_aboutAction = helpMenu->addAction(tr("&About Benchtop"), this, &MainWindow::showAbout);
    m_aboutAction->setObjectName(QStringLiteral("aboutAction"));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Benchtop"),
        tr("<h3>Benchtop %1</h3><p>Laboratory instrument control on a native event "
           "loop.</p>")
            .arg(QApplication::applicationVersion()));
}

} // namespace Benchtop::Ui
