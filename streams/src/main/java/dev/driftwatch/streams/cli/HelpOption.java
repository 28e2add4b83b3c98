package dev.driftwatch.streams.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h, --help} alone, for the commands where {@code --version} names a model version: picocli's standard
 * help options would bring {@code -V, --version} too. {@link DriftwatchCli} adds {@code -V} for the program's.
 */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
