package io.mme.archfixture.risk;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** planted violation: an engine class doing I/O (java.io, java.nio.file, java.net) */
public final class FileReadingRisk {
    public boolean limitsExist(String name) {
        File file = new File(name);
        URI uri = file.toURI();
        return Files.exists(Path.of(uri));
    }
}
