package io.mme.app.metrics;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's deploy/ directory is when the app module's tests run. */
final class DeployPaths {
    private DeployPaths() {
    }

    static Path deploy() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy")) && Files.exists(p.resolve("deploy/docker-compose.yml"))) {
                return p.resolve("deploy");
            }
        }
        throw new IllegalStateException("no deploy/docker-compose.yml above " + here);
    }
}
