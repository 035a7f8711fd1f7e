// SPDX-License-Identifier: MIT
#include "yaqconnectdialog.h"

#include "dialogparts.h"
#include "newdevicecheck.h"

#include <async/errors.h>
#include <device/deviceerror.h>
#include <widgets/tint.h>
#include <yaq/client/client.h>

#include <QDialogButtonBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <memory>

namespace Benchtop::Ui {

namespace {

constexpr int kWidthInCharacters = 104; // a daemon's traits, most of them
constexpr std::chrono::milliseconds kConnectTimeout{3000};

struct DeleteLater {
    void operator()(QObject *object) const { object->deleteLater(); }
};

enum Column { PortColumn, KindColumn, NameColumn, TraitsColumn, ColumnCount };

/// An error's text without the "host:port: " the client puts before it.
QString reasonOf(const std::exception &error, const QString &peer)
{
    QString reason = QString::fromUtf8(error.what());
    const QString prefix = peer + QLatin1String(": ");
    if (reason.startsWith(prefix))
        reason.remove(0, prefix.size());
    return reason;
}

QString ports(quint16 first, quint16 last)
{
    return first == last ? QString::number(first) : QStringLiteral("%1–%2").arg(first).arg(last);
}

} // namespace

YaqConnectDialog::YaqConnectDialog(QList<LabDevice> existing, AddDevice add, QWidget *parent)
    : QDialog(parent)
    , m_existing(std::move(existing))
    , m_add(std::move(add))
    , m_scanner(new YaqScanner(this))
{
    setWindowTitle(tr("Connect to yaq daemon"));

    auto *intro = new QLabel(tr("Adds a device served by a yaq daemon (yaq.fyi) to the lab: any "
                                "yaq daemon, or a device that benchtopd serves. Give its host and "
                                "port, or scan the host and pick a daemon."),
        this);
    intro->setWordWrap(true);

    m_hostEdit = new QLineEdit(QStringLiteral("localhost"), this);
    m_hostEdit->setObjectName(QStringLiteral("hostEdit"));
    m_hostEdit->setToolTip(tr("The computer the daemon runs on: a name or an address."));
    m_portSpin = new QSpinBox(this);
    m_portSpin->setObjectName(QStringLiteral("portSpin"));
    m_portSpin->setRange(1, 65535);
    m_portSpin->setValue(36000);
    m_portSpin->setToolTip(tr("The daemon's TCP port (yaq daemons use 36000 to 39999)."));
    m_scanButton = new QPushButton(this);
    m_scanButton->setObjectName(QStringLiteral("scanButton"));
    m_scanButton->setAutoDefault(false);
    connect(m_scanButton, &QPushButton::clicked, this, &YaqConnectDialog::toggleScan);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("daemonTable"));
    m_table->setHorizontalHeaderLabels({tr("Port"), tr("Kind"), tr("Name"), tr("Traits")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    for (int column : {PortColumn, KindColumn, NameColumn}) {
        m_table->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    }
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height()
        + 6 * m_table->verticalHeader()->defaultSectionSize());
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        const QList<QTableWidgetItem *> selected = m_table->selectedItems();
        if (!selected.isEmpty())
            pickRow(selected.first()->row());
    });
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row) {
        pickRow(row);
        accept();
    });

    m_scanStatus = new QLabel(this);
    m_scanStatus->setObjectName(QStringLiteral("scanStatusLabel"));
    m_scanStatus->setTextFormat(Qt::PlainText);
    m_scanStatus->setWordWrap(true);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("scanProgress"));
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(fontMetrics().averageCharWidth() * 24);
    m_progress->hide();

    m_nameEdit = new QLineEdit(this);
    m_nameEdit->setObjectName(QStringLiteral("nameEdit"));
    m_nameEdit->setPlaceholderText(tr("from the daemon, once it is known"));
    m_nameEdit->setToolTip(tr("What the window, bindings and the lab file call the device: "
                              "letters, digits, \"-\" and \"_\"."));

    m_unavailableLabel = new QLabel(this);
    m_unavailableLabel->setObjectName(QStringLiteral("unavailableLabel"));
    m_unavailableLabel->setWordWrap(true);
    setTextColor(m_unavailableLabel, errorColor());
    m_unavailableLabel->hide();
    m_errorLabel = makeErrorLabel(this);
    m_buttons = makeAddButtons(this);
    m_addButton = m_buttons->button(QDialogButtonBox::Ok);

    auto *hostLabel = new QLabel(tr("&Host"), this);
    hostLabel->setBuddy(m_hostEdit);
    auto *portLabel = new QLabel(tr("&Port"), this);
    portLabel->setBuddy(m_portSpin);
    m_nameLabel = new QLabel(tr("&Name"), this);
    m_nameLabel->setBuddy(m_nameEdit);

    auto *grid = new QGridLayout;
    grid->setColumnStretch(1, 1);
    grid->addWidget(hostLabel, 0, 0);
    grid->addWidget(m_hostEdit, 0, 1);
    grid->addWidget(portLabel, 0, 2);
    grid->addWidget(m_portSpin, 0, 3);
    grid->addWidget(m_scanButton, 0, 4);
    grid->addWidget(m_table, 1, 1, 1, 4);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_scanStatus, 1);
    statusRow->addWidget(m_progress);
    grid->addLayout(statusRow, 2, 1, 1, 4);
    grid->addWidget(m_nameLabel, 3, 0);
    grid->addWidget(m_nameEdit, 3, 1, 1, 4);
    grid->setRowStretch(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addSpacing(layout->spacing());
    layout->addLayout(grid, 1);
    layout->addWidget(m_unavailableLabel);
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_buttons);

    connect(m_scanner, &YaqScanner::progress, this, &YaqConnectDialog::showScanProgress);
    connect(m_scanner, &YaqScanner::daemonFound, this, &YaqConnectDialog::addDaemonRow);
    connect(m_scanner, &YaqScanner::finished, this, &YaqConnectDialog::showScanFinished);
    connect(m_scanner, &YaqScanner::failed, this, &YaqConnectDialog::showScanFailed);
    connect(
        m_nameEdit, &QLineEdit::textEdited, this, [this] { m_nameLabel->setPalette(QPalette()); });

    updateScanButton();
    m_scanStatus->setText(tr("Scan looks for yaq daemons on ports %1 of the host.")
                              .arg(ports(m_scanner->firstPort(), m_scanner->lastPort())));
    m_hostEdit->setFocus(Qt::OtherFocusReason);
    const int width
        = std::max(sizeHint().width(), fontMetrics().averageCharWidth() * kWidthInCharacters);
    resize(width,
        layout->hasHeightForWidth() ? layout->totalHeightForWidth(width) : sizeHint().height());
}

YaqConnectDialog::~YaqConnectDialog() = default;

void YaqConnectDialog::setUnavailable(const QString &reason)
{
    m_unavailable = !reason.isEmpty();
    m_unavailableLabel->setText(reason);
    m_unavailableLabel->setVisible(m_unavailable);
    m_addButton->setEnabled(!m_unavailable && m_phase == Phase::Idle);
}

QString YaqConnectDialog::addressOf(const QString &host, quint16 port)
{
    const bool ipv6 = host.contains(QLatin1Char(':')) && !host.startsWith(QLatin1Char('['));
    return (ipv6 ? QStringLiteral("[%1]:%2") : QStringLiteral("%1:%2")).arg(host).arg(port);
}

QString YaqConnectDialog::suggestedName(
    const YaqDaemonInfo &daemon, const QList<LabDevice> &existing)
{
    static const QRegularExpression notAllowed(QStringLiteral("[^A-Za-z0-9_-]+"));
    static const QRegularExpression dashes(QStringLiteral("^-+|-+$"));
    QString base = daemon.name.trimmed().isEmpty() ? daemon.kind : daemon.name;
    base.replace(notAllowed, QStringLiteral("-"));
    base.remove(dashes);
    if (base.isEmpty())
        base = QStringLiteral("yaq");
    return deviceNameProblem(base, existing).isEmpty() ? base : freeDeviceName(base, existing);
}

void YaqConnectDialog::toggleScan()
{
    if (m_scanner->isRunning()) {
        m_scanner->cancel();
        const int found = m_table->rowCount();
        m_scanStatus->setText(
            tr("Scan stopped at %1/%2: %3.")
                .arg(m_scanner->probed())
                .arg(m_scanner->total())
                .arg(found == 1 ? tr("1 daemon found") : tr("%1 daemons found").arg(found)));
        m_progress->hide();
        updateScanButton();
        return;
    }
    clearError();
    const QString host = m_hostEdit->text().trimmed();
    if (host.isEmpty()) {
        showError(tr("Give the host to scan."));
        m_hostEdit->setFocus(Qt::OtherFocusReason);
        return;
    }
    m_table->setRowCount(0);
    m_scannedHost = host;
    m_scanStatus->setText(tr("Looking up %1…").arg(host));
    m_progress->setRange(0, 0);
    m_progress->show();
    m_scanner->start(host);
    updateScanButton();
}

void YaqConnectDialog::showScanProgress(int probed, int total)
{
    m_scanStatus->setText(
        tr("Scanning %1 ports %2… %3/%4")
            .arg(m_scannedHost, ports(m_scanner->firstPort(), m_scanner->lastPort()))
            .arg(probed)
            .arg(total));
    m_progress->setRange(0, total);
    m_progress->setValue(probed);
}

void YaqConnectDialog::showScanFinished()
{
    const int found = m_table->rowCount();
    const QString range = ports(m_scanner->firstPort(), m_scanner->lastPort());
    if (found == 0) {
        m_scanStatus->setText(tr("No yaq daemon on %1 (ports %2).").arg(m_scannedHost, range));
    } else {
        m_scanStatus->setText((found == 1 ? tr("1 yaq daemon on %1 (ports %2)")
                                          : tr("%3 yaq daemons on %1 (ports %2)"))
                                  .arg(m_scannedHost, range)
                                  .arg(found)
            + tr(": pick one, then Add (or double-click it)."));
    }
    m_progress->hide();
    updateScanButton();
}

void YaqConnectDialog::showScanFailed(const QString &reason)
{
    m_scanStatus->setText(tr("The scan could not start."));
    m_progress->hide();
    showError(reason);
    updateScanButton();
}

void YaqConnectDialog::addDaemonRow(const YaqDaemonInfo &daemon)
{
    int row = 0;
    while (row < m_table->rowCount()
        && m_table->item(row, PortColumn)->data(Qt::UserRole).toInt() < daemon.port)
        ++row;
    m_table->insertRow(row);
    auto *port = new QTableWidgetItem(QString::number(daemon.port));
    port->setData(Qt::UserRole, daemon.port);
    m_table->setItem(row, PortColumn, port);
    m_table->setItem(row, KindColumn, new QTableWidgetItem(daemon.kind));
    m_table->setItem(row, NameColumn, new QTableWidgetItem(daemon.name));
    // Every yaq daemon is-daemon: the column shows what else it is (the tooltip, everything).
    QStringList shown = daemon.traits;
    shown.removeAll(QStringLiteral("is-daemon"));
    auto *traitsItem = new QTableWidgetItem(shown.join(QStringLiteral(", ")));
    traitsItem->setToolTip(daemon.traits.join(QStringLiteral(", ")));
    m_table->setItem(row, TraitsColumn, traitsItem);
}

void YaqConnectDialog::pickRow(int row)
{
    if (row < 0 || row >= m_table->rowCount() || m_phase != Phase::Idle)
        return;
    YaqDaemonInfo daemon;
    daemon.port = quint16(m_table->item(row, PortColumn)->data(Qt::UserRole).toUInt());
    daemon.kind = m_table->item(row, KindColumn)->text();
    daemon.name = m_table->item(row, NameColumn)->text();
    m_hostEdit->setText(m_scannedHost);
    m_portSpin->setValue(daemon.port);
    const QString current = m_nameEdit->text().trimmed();
    if (current.isEmpty() || current == m_suggestedName) {
        m_suggestedName = suggestedName(daemon, m_existing);
        m_nameEdit->setText(m_suggestedName);
        m_nameLabel->setPalette(QPalette());
    }
    clearError();
}

void YaqConnectDialog::updateScanButton()
{
    const bool running = m_scanner->isRunning();
    m_scanButton->setText(running ? tr("S&top") : tr("&Scan"));
    m_scanButton->setToolTip(running
            ? tr("Stop the scan")
            : tr("Look for yaq daemons on ports %1 of the host")
                  .arg(ports(m_scanner->options().firstPort, m_scanner->options().lastPort)));
}

void YaqConnectDialog::accept()
{
    if (m_phase != Phase::Idle || m_unavailable)
        return;
    clearError();
    const QString host = m_hostEdit->text().trimmed();
    if (host.isEmpty()) {
        showError(tr("Give the daemon's host."));
        m_hostEdit->setFocus(Qt::OtherFocusReason);
        return;
    }
    const QString name = m_nameEdit->text().trimmed();
    if (!name.isEmpty()) {
        const QString problem = deviceNameProblem(name, m_existing);
        if (!problem.isEmpty()) {
            showError(problem, true);
            return;
        }
    }
    const auto port = quint16(m_portSpin->value());
    setPhase(Phase::Connecting);
    m_tasks.spawn("connect to a yaq daemon",
        [this, host, port, name]() -> QCoro::Task<> { co_await connectAndAdd(host, port, name); });
}

QCoro::Task<> YaqConnectDialog::connectAndAdd(QString host, quint16 port, QString name)
{
    const QString address = addressOf(host, port);
    YaqDaemonInfo daemon;
    {
        Yaq::Client::Options options;
        options.connectTimeout = kConnectTimeout;
        options.callTimeout = kConnectTimeout;
        // Deleted on the next turn of the loop, not here: this resumes inside its socket's
        // readyRead (see YaqScanner::identify).
        const std::unique_ptr<Yaq::Client, DeleteLater> client(new Yaq::Client(options));
        try {
            co_await client->connectTo(host, port);
            daemon = {port, client->remote().kind, {}, client->remote().traits};
            if (name.isEmpty() && client->remote().hasMessage(QStringLiteral("id"))) {
                try {
                    const QVariant id = co_await client->call(QStringLiteral("id"));
                    daemon.name = id.toMap().value(QStringLiteral("name")).toString();
                } catch (const DeviceError &) {
                    // Named after its kind, then.
                }
            }
        } catch (const DeviceError &e) {
            setPhase(Phase::Idle);
            showError(tr("No yaq daemon at %1: %2").arg(address, reasonOf(e, client->peer())));
            co_return;
        }
    }
    if (name.isEmpty()) {
        name = suggestedName(daemon, m_existing);
        m_suggestedName = name;
        m_nameEdit->setText(name);
    }
    const DeviceSettings settings{
        name, QStringLiteral("yaq"), {{QStringLiteral("address"), address}}};
    setPhase(Phase::Adding);
    try {
        co_await m_add(settings);
    } catch (const DeviceError &e) {
        setPhase(Phase::Idle);
        showError(tr("The lab did not add %1: %2").arg(name, QString::fromUtf8(e.what())));
        co_return;
    }
    setPhase(Phase::Idle);
    m_settings = settings;
    Q_EMIT deviceAdded(settings);
    QDialog::accept();
}

void YaqConnectDialog::reject()
{
    if (m_phase == Phase::Adding)
        return;
    m_scanner->cancel();
    m_tasks.cancel();
    setPhase(Phase::Idle);
    QDialog::reject();
}

void YaqConnectDialog::setPhase(Phase phase)
{
    m_phase = phase;
    const bool idle = phase == Phase::Idle;
    m_hostEdit->setEnabled(idle);
    m_portSpin->setEnabled(idle);
    m_nameEdit->setEnabled(idle);
    m_table->setEnabled(idle);
    m_addButton->setEnabled(idle && !m_unavailable);
    m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(phase != Phase::Adding);
    if (phase == Phase::Connecting) {
        m_errorLabel->setPalette(QPalette());
        m_errorLabel->setText(
            tr("Connecting to %1…")
                .arg(addressOf(m_hostEdit->text().trimmed(), quint16(m_portSpin->value()))));
        m_errorLabel->show();
    } else if (phase == Phase::Idle) {
        setTextColor(m_errorLabel, errorColor());
        clearError();
    }
}

void YaqConnectDialog::showError(const QString &message, bool nameAtFault)
{
    setTextColor(m_errorLabel, errorColor());
    m_errorLabel->setText(message);
    m_errorLabel->show();
    if (nameAtFault) {
        setTextColor(m_nameLabel, errorColor());
        m_nameEdit->setFocus(Qt::OtherFocusReason);
        m_nameEdit->selectAll();
    }
}

void YaqConnectDialog::clearError()
{
    m_errorLabel->clear();
    m_errorLabel->hide();
    m_nameLabel->setPalette(QPalette());
}

} // namespace Benchtop::Ui
