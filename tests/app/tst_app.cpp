// SPDX-License-Identifier: MIT
// The `benchtop` executable as a user starts it: arguments, a window, a clean exit.
#include "appprocess.h"
#include "testsupport.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <ctime>

#include <unistd.h>

class TestApp : public QObject {
    Q_OBJECT

private:
    using Result = Benchtop::Test::AppResult;

    static QProcessEnvironment environment() { return Benchtop::Test::appEnvironment(); }
    static QProcessEnvironment headless() { return Benchtop::Test::headlessAppEnvironment(); }

    static QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
    {
        const QString path = dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(text);
        return path;
    }

    static Result run(const QStringList &arguments, const QProcessEnvironment &env = environment())
    {
        return Benchtop::Test::runApp(arguments, env);
    }

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void printsItsVersion()
    {
        const Result result = run({QStringLiteral("--version")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.contains(QStringLiteral("Benchtop")), qPrintable(result.out));
    }

    void refusesAnUnknownOption()
    {
        const Result result = run({QStringLiteral("--no-such-option")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(QStringLiteral("no-such-option")), qPrintable(result.err));
        QVERIFY(result.err.contains(QStringLiteral("Usage:")));
    }

    void refusesAStrayArgument()
    {
        const Result result = run({QStringLiteral("stray")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(QStringLiteral("stray")), qPrintable(result.err));
    }

    void refusesAnOptionWithoutItsValue_data()
    {
        QTest::addColumn<QString>("option");
        QTest::newRow("lab") << QStringLiteral("--lab");
        QTest::newRow("plugin-dir") << QStringLiteral("--plugin-dir");
        QTest::newRow("loop-watchdog") << QStringLiteral("--loop-watchdog");
    }
    void refusesAnOptionWithoutItsValue()
    {
        QFETCH(QString, option);
        const Result result = run({option}, headless());
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(QStringLiteral("Missing value after '%1'").arg(option)),
            qPrintable(result.err));
        QVERIFY(result.err.contains(QStringLiteral("Usage:")));
    }

    void refusesPathsThatAreNotWhatTheyName_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("error");
        QTest::newRow("no such lab") << QStringList{"--lab", "/nonexistent/lab.toml"}
                                     << QStringLiteral("benchtop: --lab /nonexistent/lab.toml: no such file");
        QTest::newRow("lab a directory") << QStringList{"--lab", "/tmp"}
                                         << QStringLiteral("benchtop: --lab /tmp: is a directory, not a lab file");
        QTest::newRow("no such plugin dir")
            << QStringList{"--plugin-dir", "/nonexistent"}
            << QStringLiteral("benchtop: --plugin-dir /nonexistent: no such directory");
        QTest::newRow("plugin dir a file")
            << QStringList{"--list-plugins", "--plugin-dir", QStringLiteral(BENCHTOP_APP)}
            << QStringLiteral("benchtop: --plugin-dir %1: not a directory").arg(BENCHTOP_APP);
        QTest::newRow("watchdog not a number")
            << QStringList{"--loop-watchdog", "fast"}
            << QStringLiteral("benchtop: --loop-watchdog fast: not a number of milliseconds");
        QTest::newRow("watchdog negative")
            << QStringList{"--loop-watchdog", "-5"}
            << QStringLiteral("benchtop: --loop-watchdog -5: not a number of milliseconds");
    }
    void refusesPathsThatAreNotWhatTheyName()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, error);
        // Refused before any window: the offscreen platform is there, so a window would open.
        const Result result = run(arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(error), qPrintable(result.err));
        QVERIFY(result.err.contains(QStringLiteral("Usage:")));
    }

    void withoutADisplayTheWindowIsRefusedNotCrashed()
    {
        const Result result = run({}, headless());
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(QStringLiteral("benchtop: no display to show the window on")),
            qPrintable(result.err));
    }

    void listPluginsShowsDriversWithoutADisplay()
    {
        const Result result = run({QStringLiteral("--list-plugins")}, headless());
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.contains(QStringLiteral(
                     "sim-motor: is-daemon, has-position, has-limits, is-homeable, is-stoppable")),
            qPrintable(result.out));
        QVERIFY(result.out.contains(QStringLiteral("sim-digital: is-daemon, has-digital-io")));
        QVERIFY2(result.err.isEmpty(), qPrintable(result.err));
    }

    void listPluginsWarnsOfAFolderEveryoneMayWrite()
    {
        QTemporaryDir dir;
        QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner
                | QFileDevice::ExeOwner | QFileDevice::ReadOther | QFileDevice::WriteOther
                | QFileDevice::ExeOther));
        const Result result = run({QStringLiteral("--list-plugins"), QStringLiteral("--plugin-dir"),
                                      dir.path()},
            headless());
        QCOMPARE(result.exitCode, 0);
        const QString warning = QStringLiteral("plugin folder %1 is writable by every user").arg(dir.path());
        QVERIFY2(result.out.contains(QStringLiteral("Warnings:\n  ") + warning), qPrintable(result.out));
        QVERIFY2(result.err.contains(warning), qPrintable(result.err)); // and logged
    }

    void listPluginsNamesRefusedFiles()
    {
        QTemporaryDir dir;
        const QString junk = writeFile(dir, QStringLiteral("libjunk.so"), "not a library\n");
        const Result result
            = run({QStringLiteral("--list-plugins"), QStringLiteral("--plugin-dir"), dir.path()},
                headless());
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.contains(QStringLiteral("Refused:\n  %1: ").arg(junk)),
            qPrintable(result.out));
        QVERIFY(result.out.contains(QStringLiteral("sim-motor")));
    }

    void checkAcceptsTheDemoLab()
    {
        const Result result = run({QStringLiteral("--check")}, headless());
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.out.contains(QStringLiteral("no errors")), qPrintable(result.out));
    }

    void checkReportsEveryErrorWithItsPlace()
    {
        QTemporaryDir dir;
        const QString lab = writeFile(dir, QStringLiteral("lab.toml"),
            "[stage]\n"
            "driver = \"sim-motor\"\n"
            "speed = \"fast\"\n"
            "\n"
            "[meter]\n"
            "driver = \"sim-moter\"\n");
        const Result result
            = run({QStringLiteral("--check"), QStringLiteral("--lab"), lab}, headless());
        QCOMPARE(result.exitCode, 1);
        const QStringList lines = result.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines[0].startsWith(lab + QStringLiteral(":3:9: device \"stage\": ")),
            qPrintable(lines[0]));
        QVERIFY2(lines[1].startsWith(lab + QStringLiteral(":6:")), qPrintable(lines[1]));
        QVERIFY(lines[1].contains(QStringLiteral("sim-motor"))); // the suggestion
    }

    void checkReportsAMissingFile()
    {
        const Result result = run({QStringLiteral("--check"), QStringLiteral("--lab"),
                                      QStringLiteral("/nonexistent/lab.toml")},
            headless());
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.startsWith(QStringLiteral("/nonexistent/lab.toml: ")),
            qPrintable(result.err));
    }

    void aLabWithErrorsStillOpensTheOthers()
    {
        QTemporaryDir dir;
        const QString lab = writeFile(dir, QStringLiteral("lab.toml"),
            "[stage]\ndriver = \"sim-motor\"\nspeed = -5.0\n\n[wheel]\ndriver = "
            "\"sim-filter-wheel\"\n");
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("BENCHTOP_QUIT_AFTER_MS"), QStringLiteral("500"));
        const Result result = run({QStringLiteral("--lab"), lab}, env);
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.err.contains(lab + QStringLiteral(":3:9: device \"stage\"")),
            qPrintable(result.err));
    }

    void startsAWindowAndQuitsCleanly()
    {
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("BENCHTOP_QUIT_AFTER_MS"), QStringLiteral("300"));
        const Result result = run({}, env);
        QCOMPARE(result.exitCode, 0);
    }

    // bench_startup's probe: the first paint's time on the clock the benchmark reads, then quit.
    void startupProbeReportsTheFirstPaintAndQuits()
    {
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("BENCHTOP_STARTUP_PROBE"), QStringLiteral("1"));
        const long long before = monotonicNs();
        const Result result = run({}, env);
        const long long after = monotonicNs();
        QCOMPARE(result.exitCode, 0);
        const QStringList words = result.out.trimmed().split(QLatin1Char(' '));
        QCOMPARE(words.size(), 2);
        QCOMPARE(words[0], QStringLiteral("first-paint"));
        bool ok = false;
        const long long painted = words[1].toLongLong(&ok);
        QVERIFY(ok);
        QVERIFY(painted > before && painted < after);
    }

    // Without the variable, nothing is printed and the window stays up.
    void noStartupProbeByDefault()
    {
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("BENCHTOP_QUIT_AFTER_MS"), QStringLiteral("300"));
        const Result result = run({}, env);
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(!result.out.contains(QStringLiteral("first-paint")), qPrintable(result.out));
    }

    // Ctrl+C or a service manager's stop closes the lab like the window's close button.
    void sigintAndSigtermCloseTheLabCleanly_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<QString>("said");
        QTest::newRow("SIGINT") << int(SIGINT) << QStringLiteral("benchtop: interrupted: closing the lab");
        QTest::newRow("SIGTERM") << int(SIGTERM) << QStringLiteral("benchtop: asked to stop: closing the lab");
    }
    void sigintAndSigtermCloseTheLabCleanly()
    {
        QFETCH(int, signal);
        QFETCH(QString, said);
        QTemporaryDir dir;
        const QString lab = writeFile(dir, QStringLiteral("lab.toml"), "[stage]\ndriver = \"sim-motor\"\n");
        QProcess app;
        startUntilPainted(app, dir, lab);
        // The state is written once the device has started. (Closing saves it again when it
        // changed: tst_mainwindow closingTheWindowSavesState; the signal takes that same path,
        // the window's close.)
        const QString state = dir.filePath(QStringLiteral("state/sim-motor/stage-state.toml"));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(state).size() > 0, 30'000);
        ::kill(app.processId(), signal);
        QVERIFY(app.waitForFinished(30'000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 0); // a clean close, not the signal's default action
        const QString err = QString::fromLocal8Bit(app.readAllStandardError());
        QVERIFY2(err.contains(said), qPrintable(err));
        QVERIFY(QFileInfo(state).size() > 0);
    }

    // A second signal while the first is being handled ends the process at once.
    void aSecondSignalQuitsAtOnce()
    {
        QTemporaryDir dir;
        const QString lab = writeFile(dir, QStringLiteral("lab.toml"), "[stage]\ndriver = \"sim-motor\"\n");
        QProcess app;
        startUntilPainted(app, dir, lab);
        // Back to back: the second arrives long before the lab could close. (Two SIGINTs sent
        // this fast could merge into one pending signal; two kinds cannot.) A clean close
        // would exit with 0.
        ::kill(app.processId(), SIGINT);
        ::kill(app.processId(), SIGTERM);
        QVERIFY(app.waitForFinished(30'000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        // 128 + the second signal handled; a process-directed signal may be handled on any
        // thread, so either may be the second.
        QVERIFY2(app.exitCode() == 128 + SIGINT || app.exitCode() == 128 + SIGTERM,
            qPrintable(QString::number(app.exitCode())));
    }

private:
    /// Starts the window on `lab` with its state in `dir`/state, and returns once it has
    /// painted (BENCHTOP_STARTUP_PROBE=2 says so and leaves it running).
    static void startUntilPainted(QProcess &app, const QTemporaryDir &dir, const QString &lab)
    {
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("BENCHTOP_STATE_DIR"), dir.filePath(QStringLiteral("state")));
        env.insert(QStringLiteral("BENCHTOP_STARTUP_PROBE"), QStringLiteral("2"));
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(BENCHTOP_APP), {QStringLiteral("--lab"), lab});
        QVERIFY(app.waitForStarted());
        QByteArray out; // accumulated: QTRY evaluates its expression more than once
        QTRY_VERIFY_WITH_TIMEOUT((out += app.readAllStandardOutput()).contains("first-paint"), 30'000);
    }

    static long long monotonicNs()
    {
        timespec now{};
        clock_gettime(CLOCK_MONOTONIC, &now);
        return static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec;
    }
};

QTEST_GUILESS_MAIN(TestApp)
#include "tst_app.moc"
