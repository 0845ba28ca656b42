/**
 * The top of the dependency graph: command line, configuration and the wiring of the engine from
 * it. Runs on the main thread; the engines it builds run on their own threads.
 */
package io.mme.app;
