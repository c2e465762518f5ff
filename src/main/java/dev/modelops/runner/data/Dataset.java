package dev.modelops.runner.data;

import dev.modelops.runner.RunFailure;
import org.duckdb.DuckDBDriver;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * A CSV or Parquet file read through DuckDB (an in-process SQL engine): its columns, its size, summaries in SQL and
 * its rows as a stream (results are streamed, not materialised, so memory stays flat with the file's size).
 */
public final class Dataset implements AutoCloseable {

    /**
     * DuckDB's CSV read buffer: twice its longest line (2 MiB). With its default (16 longest lines) the RSS of a
     * stream grows by about 25 bytes a row (README, Benchmark, {@code runner-score}); with this it stays flat.
     */
    static final int CSV_BUFFER_BYTES = 4 << 20;

    private final String uri;
    private final Connection connection;
    private final String source;
    private final List<Column> columns;

    private Dataset(String uri, Connection connection, String source, List<Column> columns) {
        this.uri = uri;
        this.connection = connection;
        this.source = source;
        this.columns = columns;
    }

    /** Opens the local copy {@code file} of the dataset at {@code uri}; the format is told by the extension. */
    public static Dataset open(Path file, String uri) {
        String source = reader(file, uri);
        Connection connection = connect();
        try (Statement statement = connection.createStatement();
                ResultSet described = statement.executeQuery("DESCRIBE SELECT * FROM " + source)) {
            List<Column> columns = new ArrayList<>();
            while (described.next()) {
                columns.add(new Column(described.getString("column_name"), described.getString("column_type")));
            }
            return new Dataset(uri, connection, source, List.copyOf(columns));
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new RunFailure("cannot read dataset " + uri + ": " + firstLine(e));
        }
    }

    /** A DuckDB connection of the runner: in memory, streaming results. */
    public static Connection connect() {
        try {
            Class.forName(DuckDBDriver.class.getName());
            Properties properties = new Properties();
            properties.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, "true");
            return DriverManager.getConnection("jdbc:duckdb:", properties);
        } catch (SQLException | ClassNotFoundException e) {
            throw new IllegalStateException("DuckDB cannot start: " + e.getMessage(), e);
        }
    }

    private static String reader(Path file, String uri) {
        String name = uri.toLowerCase(Locale.ROOT);
        String path = Sql.literal(file.toAbsolutePath().toString());
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return "read_parquet(" + path + ")";
        }
        if (name.endsWith(".csv") || name.endsWith(".csv.gz") || name.endsWith(".tsv")) {
            return "read_csv(" + path + ", header = true, buffer_size = " + CSV_BUFFER_BYTES + ")";
        }
        throw new RunFailure("cannot read dataset " + uri + ": expected a .csv, .csv.gz, .tsv or .parquet file");
    }

    public String uri() {
        return uri;
    }

    public List<Column> columns() {
        return columns;
    }

    public Optional<Column> column(String name) {
        return schema().column(name);
    }

    public Column require(String name, String role) {
        return schema().require(name, role);
    }

    /** The columns, named in messages as {@code dataset <uri>}. */
    public Schema schema() {
        return new Schema("dataset " + uri, columns);
    }

    /** The table expression to select from. */
    public String source() {
        return source;
    }

    public Connection connection() {
        return connection;
    }

    public long rows() {
        return queryLong("SELECT count(*) FROM " + source);
    }

    public long queryLong(String sql) {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The named columns of every row, in file order; the caller closes the result (and its statement). */
    public ResultSet stream(List<String> names) {
        String select = names.stream().map(Sql::identifier).collect(Collectors.joining(", "));
        try {
            Statement statement = connection.createStatement();
            statement.closeOnCompletion();
            return statement.executeQuery("SELECT " + select + " FROM " + source);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    public RunFailure failure(SQLException e) {
        return new RunFailure("cannot read dataset " + uri + ": " + firstLine(e), e);
    }

    public static String firstLine(Exception e) {
        String message = Optional.ofNullable(e.getMessage()).orElse(e.toString());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing left to release
        }
    }
}
