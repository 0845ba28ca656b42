/** The picocli commands of {@code mme}; they run on the main thread and own nothing past their call. */
package io.mme.app.cli;
