package io.mme.audit.store;

import java.math.BigDecimal;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * One table of the audit trail: its columns with their JDBC types, and the rows of the batch being
 * built for it (values as Long, Integer, String, Boolean, BigDecimal or null, in column order).
 * Owned by the store's drain thread.
 */
final class AuditTable {
    final String name;
    final String[] columns;
    final int[] types;
    final List<Object[]> rows = new ArrayList<>();

    private AuditTable(String name, String spec) {
        this.name = name;
        String[] parts = spec.trim().split("\\s*,\\s*");
        this.columns = new String[parts.length];
        this.types = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String[] nameAndType = parts[i].split("\\s+");
            columns[i] = nameAndType[0];
            types[i] = switch (nameAndType[1]) {
                case "bigint" -> Types.BIGINT;
                case "int" -> Types.INTEGER;
                case "text" -> Types.VARCHAR;
                case "numeric" -> Types.NUMERIC;
                case "bool" -> Types.BOOLEAN;
                default -> throw new IllegalArgumentException("column type " + nameAndType[1]);
            };
        }
    }

    static AuditTable of(String name, String spec) {
        return new AuditTable(name, spec);
    }

    void add(Object... values) {
        if (values.length != columns.length) {
            throw new IllegalArgumentException(name + " row of " + values.length + " values for " + columns.length + " columns");
        }
        rows.add(values);
    }

    String columnList() {
        return String.join(", ", columns);
    }

    /** appends one row in COPY text format (tab-separated, \N for null, backslash escapes) */
    void appendCopyRow(Object[] row, StringBuilder out) {
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            Object v = row[i];
            if (v == null) {
                out.append("\\N");
            } else if (v instanceof String s) {
                escape(s, out);
            } else if (v instanceof Boolean b) {
                out.append(b ? 't' : 'f');
            } else if (v instanceof BigDecimal d) {
                out.append(d.toPlainString());
            } else {
                out.append(v);
            }
        }
        out.append('\n');
    }

    private static void escape(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }
}
