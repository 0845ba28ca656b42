package io.mme.app.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The API's JSON: one strict mapper for request bodies (unknown fields, duplicate keys, trailing
 * content and type coercions are errors) and for responses, and the translation of Jackson's
 * exceptions into 400 answers naming the field. Thread-safe (the mapper is configured once).
 */
final class JsonBodies {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    static {
        for (LogicalType type : List.of(LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            MAPPER.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer || type == LogicalType.Float
                            ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, type == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, type == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, type == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail);
        }
    }

    private JsonBodies() {
    }

    /** the body as {@code type}; a 400 {@link ApiError} naming the field or the syntax problem otherwise */
    static <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw ApiError.badRequest(null, "the request body is missing: expected a JSON object");
        }
        T value;
        try {
            value = MAPPER.readValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream().map(String::valueOf)
                    .sorted().collect(Collectors.joining(", "));
            throw ApiError.badRequest(e.getPropertyName(), "unknown field '" + e.getPropertyName() + "' (known: " + known + ")");
        } catch (MismatchedInputException e) {
            String field = field(e);
            if (field == null) {
                throw ApiError.badRequest(null, "the request body must be a JSON object: " + e.getOriginalMessage());
            }
            throw ApiError.badRequest(field, "field '" + field + "' must be " + expected(e.getTargetType()));
        } catch (StreamReadException e) {
            throw ApiError.badRequest(null, "malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()));
        } catch (JsonMappingException e) {
            throw ApiError.badRequest(field(e), "invalid request body: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(null, "invalid request body: " + e.getOriginalMessage());
        }
        if (value == null) {
            throw ApiError.badRequest(null, "the request body is null: expected a JSON object");
        }
        if (value instanceof Record record) {
            FreeText.checkBody(record);
        }
        return value;
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a response: " + e.getOriginalMessage(), e);
        }
    }

    private static String field(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        for (int i = path.size() - 1; i >= 0; i--) {
            if (path.get(i).getFieldName() != null) {
                return path.get(i).getFieldName();
            }
        }
        return null;
    }

    private static String expected(Class<?> type) {
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "a " + (type == null ? "value of another type" : type.getSimpleName());
    }
}
