package io.mme.archfixture.execution;

import com.fasterxml.jackson.databind.ObjectMapper;

/** planted violation: an engine class using Jackson */
public final class JsonExecution {
    private final ObjectMapper mapper = new ObjectMapper();

    public ObjectMapper mapper() {
        return mapper;
    }
}
