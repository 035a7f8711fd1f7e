// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Benchtop"));
    QApplication::setOrganizationName(QStringLiteral("Benchtop"));
    QApplication::setOrganizationDomain(QStringLiteral("benchtop.dev"));
    QApplication::setApplicationVersion(QStringLiteral(BENCHTOP_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("dev.benchtop.Benchtop"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Benchtop: operate laboratory instruments interactively."));
    parser.addHelpOption();
    parser.addVersionOption();
    if (!parser.parse(QApplication::arguments())) {
        std::fprintf(stderr, "benchtop: %s\n\n%s", qPrintable(parser.errorText()),
            qPrintable(parser.helpText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "benchtop: unexpected argument '%s'\n\n%s",
            qPrintable(parser.positionalArguments().constFirst()), qPrintable(parser.helpText()));
        return 2;
    }

    Benchtop::Ui::MainWindow window;
    window.show();

    // For scripts and CI: quit on its own after the window has been up this long.
    bool ok = false;
    const int quitAfterMs = qEnvironmentVariableIntValue("BENCHTOP_QUIT_AFTER_MS", &ok);
    if (ok && quitAfterMs >= 0)
        QTimer::singleShot(quitAfterMs, &window, &QWidget::close);

    return QApplication::exec();
}
