package io.layerwise.datasets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * The rows of one MMLU file in Hugging Face's Parquet layout ({@code cais/mmlu}'s
 * {@code all/test-00000-of-00001.parquet}: {@code question} string, {@code subject} string, {@code choices}
 * list of strings, {@code answer} int64 index 0-3), given as the fields of MMLU's CSV layout
 * ({@code question}, {@code A}-{@code D}, the answer letter) plus {@code subject}, so one conversion makes
 * items of both. Rows are numbered from 1 in file order and that number stands where a CSV row has its line.
 *
 * <p>Decoding is parquet-java's (any page version, encoding and codec it knows). The schema is checked
 * before any row is read: a missing or mistyped column is fatal whatever the policy, since no row can be
 * read. Extra columns are not read. {@code subject} may be absent (the file name then gives none). The list
 * may be written in the standard three-level form (child {@code element}, or {@code item} as older pyarrow
 * named it) or the legacy two-level one. Row problems (a null, a list of other than four choices, an answer
 * outside 0-3, bytes that are not UTF-8) are bad rows for the {@link ReadTally}. A file that is not Parquet,
 * or is cut short or damaged, fails with a message naming it.
 */
final class MmluParquetRowSource implements RowSource {

    /** The fields of every row, in this order. */
    static final List<String> FIELDS = List.of("question", "subject", "A", "B", "C", "D", "answer");
    private static final String SCHEMA = "Hugging Face's MMLU files have the columns question: string, subject: string,"
            + " choices: list<string> (4 items), answer: int64 (index 0-3 of the correct choice)";
    private static final String LETTERS = "ABCD";
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final ReadTally tally;
    private final ParquetFileReader reader;
    private final MessageType projection;
    private final MessageColumnIO columnIO;
    private final boolean hasSubject;
    private final boolean threeLevelList;
    private RecordReader<Group> records;
    private long rowsLeftInGroup;
    private int rowGroup;
    private long row;

    MmluParquetRowSource(Path file, ReadTally tally) {
        this.file = file;
        this.tally = tally;
        this.reader = open(file);
        try {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            requireString(schema, "question");
            hasSubject = schema.containsField("subject");
            if (hasSubject) {
                requireString(schema, "subject");
            }
            threeLevelList = checkChoices(schema);
            requireAnswer(schema);
            List<Type> read = new ArrayList<>();
            for (String name : List.of("question", "subject", "choices", "answer")) {
                if (schema.containsField(name)) {
                    read.add(schema.getType(name));
                }
            }
            projection = new MessageType(schema.getName(), read);
            reader.setRequestedSchema(projection);
            columnIO = new ColumnIOFactory().getColumnIO(projection, schema);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public Optional<SourceRow> next() {
        while (true) {
            if (rowsLeftInGroup == 0 && !nextRowGroup()) {
                return Optional.empty();
            }
            Group record = readRecord();
            rowsLeftInGroup--;
            row++;
            Optional<SourceRow> converted = toRow(record);
            if (converted.isPresent()) {
                return converted;
            }
        }
    }

    @Override
    public void requireFields(List<String> fields, String hint) {
        for (String field : fields) {
            if (!FIELDS.contains(field) || field.equals("subject") && !hasSubject) {
                throw new DatasetException(file + ": an MMLU Parquet file gives no field '" + field + "' (it gives "
                        + String.join(", ", hasSubject ? FIELDS : FIELDS.stream().filter(f -> !f.equals("subject")).toList())
                        + "). " + hint);
            }
        }
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw DatasetException.cannotRead(file, e);
        }
    }

    private static ParquetFileReader open(Path file) {
        requireMagic(file);
        try {
            return ParquetFileReader.open(new LocalInputFile(file));
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(file + " is not a readable Parquet file (" + e.getMessage() + "). Parquet files"
                    + " end in a footer and the bytes PAR1; download the file again if it was cut short.", e);
        }
    }

    /**
     * Checks the {@code PAR1} that opens and closes every Parquet file, so that a file cut short (its footer
     * and closing magic lost) or one of another format gets a plain answer rather than a footer-length error.
     */
    private static void requireMagic(Path file) {
        byte[] head = new byte[MAGIC.length];
        byte[] tail = new byte[MAGIC.length];
        long size;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            size = channel.size();
            if (size >= 2L * MAGIC.length + 4) {
                channel.read(ByteBuffer.wrap(head), 0);
                channel.read(ByteBuffer.wrap(tail), size - MAGIC.length);
            }
        } catch (IOException e) {
            throw DatasetException.cannotRead(file, e);
        }
        if (!Arrays.equals(head, MAGIC)) {
            throw new DatasetException(file + " is not a Parquet file: it does not start with the bytes PAR1. Give MMLU's"
                    + " CSV layout a .csv name, and Hugging Face's files as downloaded.");
        }
        if (!Arrays.equals(tail, MAGIC)) {
            throw new DatasetException(file + " is not a complete Parquet file: it starts with PAR1 but does not end"
                    + " with it (" + size + " bytes), so it was cut short; download it again.");
        }
    }

    private boolean nextRowGroup() {
        try {
            // Reading a row group decompresses its pages; making its record reader decodes the dictionaries.
            PageReadStore pages = reader.readNextRowGroup();
            if (pages == null) {
                return false;
            }
            records = columnIO.getRecordReader(pages, new GroupRecordConverter(projection));
            rowsLeftInGroup = pages.getRowCount();
        } catch (IOException | RuntimeException e) {
            throw damaged("row group " + (rowGroup + 1), e);
        }
        rowGroup++;
        return true;
    }

    private Group readRecord() {
        try {
            return records.read();
        } catch (RuntimeException e) {
            throw damaged("row " + (row + 1) + " (row group " + rowGroup + ")", e);
        }
    }

    private DatasetException damaged(String where, Exception cause) {
        return new DatasetException(file + ": " + where + " cannot be decoded (" + cause.getMessage()
                + "); the file is damaged or cut short, download it again.", cause);
    }

    private Optional<SourceRow> toRow(Group record) {
        Map<String, String> fields = new LinkedHashMap<>();
        String question = string(record, "question");
        if (question == null) {
            return Optional.empty();
        }
        fields.put("question", question);
        if (hasSubject) {
            String subject = string(record, "subject");
            if (subject == null) {
                return Optional.empty();
            }
            fields.put("subject", subject);
        }
        List<String> choices = choices(record);
        if (choices == null) {
            return Optional.empty();
        }
        for (int i = 0; i < choices.size(); i++) {
            fields.put(String.valueOf(LETTERS.charAt(i)), choices.get(i));
        }
        if (record.getFieldRepetitionCount("answer") == 0) {
            return reject("answer", "is null; every row needs the index 0-3 of its correct choice");
        }
        long answer = record.getType().getType("answer").asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT64
                ? record.getLong("answer", 0) : record.getInteger("answer", 0);
        if (answer < 0 || answer >= LETTERS.length()) {
            return reject("answer", answer + " is not an index 0-3 of the four choices");
        }
        fields.put("answer", String.valueOf(LETTERS.charAt((int) answer)));
        return Optional.of(new SourceRow(file, row, fields));
    }

    /** The four choices, or {@code null} after rejecting the row. */
    private List<String> choices(Group record) {
        if (record.getFieldRepetitionCount("choices") == 0) {
            reject("choices", "is null; every row needs its four choices");
            return null;
        }
        Group list = record.getGroup("choices", 0);
        int count = list.getFieldRepetitionCount(0);
        if (count != LETTERS.length()) {
            reject("choices", "holds " + count + " items; MMLU questions have 4 choices (A-D)");
            return null;
        }
        List<String> choices = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Group holder = threeLevelList ? list.getGroup(0, i) : list;
            int index = threeLevelList ? 0 : i;
            if (threeLevelList && holder.getFieldRepetitionCount(0) == 0) {
                reject("choices", "choice " + LETTERS.charAt(i) + " is null");
                return null;
            }
            String choice = utf8(holder.getBinary(0, index).getBytes(), "choices");
            if (choice == null) {
                return null;
            }
            choices.add(choice);
        }
        return choices;
    }

    /** The string of a column, or {@code null} after rejecting the row. */
    private String string(Group record, String column) {
        if (record.getFieldRepetitionCount(column) == 0) {
            reject(column, "is null; every row needs it");
            return null;
        }
        return utf8(record.getBinary(column, 0).getBytes(), column);
    }

    // Binary.toStringUsingUTF8 would replace bad bytes silently; the CSV readers reject them, and so does this.
    private String utf8(byte[] bytes, String column) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            reject(column, "holds bytes that are not valid UTF-8; re-encode the data as UTF-8");
            return null;
        }
    }

    private <T> Optional<T> reject(String column, String problem) {
        tally.reject(new BadRow(file, row, column, problem));
        return Optional.empty();
    }

    private Type column(MessageType schema, String name) {
        if (!schema.containsField(name)) {
            throw new DatasetException(file + ": no column '" + name + "' (it has " + String.join(", ",
                    schema.getFields().stream().map(Type::getName).toList()) + "). " + SCHEMA + ".");
        }
        Type type = schema.getType(name);
        if (type.isRepetition(Type.Repetition.REPEATED)) {
            throw wrongType(name, "is a repeated field");
        }
        return type;
    }

    private void requireString(MessageType schema, String name) {
        if (!isString(column(schema, name))) {
            throw wrongType(name, "holds " + describe(schema.getType(name)) + ", not strings");
        }
    }

    private void requireAnswer(MessageType schema) {
        Type answer = column(schema, "answer");
        boolean integer = answer.isPrimitive()
                && (answer.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT64
                        || answer.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT32)
                && (answer.getLogicalTypeAnnotation() == null
                        || answer.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation);
        if (!integer) {
            throw wrongType("answer", "holds " + describe(answer) + ", not the integer index of the correct choice"
                    + " (a letter answer is MMLU's CSV layout: name the file .csv)");
        }
    }

    /**
     * Checks that {@code choices} is a list of strings and says whether it has the three-level form
     * ({@code choices.list.element}) rather than the legacy two-level one ({@code choices.array}).
     */
    private boolean checkChoices(MessageType schema) {
        Type choices = column(schema, "choices");
        if (choices.isPrimitive() || choices.asGroupType().getFieldCount() != 1
                || !choices.asGroupType().getType(0).isRepetition(Type.Repetition.REPEATED)) {
            throw wrongType("choices", "is " + describe(choices) + ", not a list of strings");
        }
        Type repeated = choices.asGroupType().getType(0);
        if (isString(repeated)) {
            return false;
        }
        if (!repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1
                && isString(repeated.asGroupType().getType(0))) {
            return true;
        }
        throw wrongType("choices", "is a list of " + describe(repeated) + ", not of strings");
    }

    private DatasetException wrongType(String column, String problem) {
        return new DatasetException(file + ": column '" + column + "' " + problem + ". " + SCHEMA + ".");
    }

    private static boolean isString(Type type) {
        return type.isPrimitive() && !type.isRepetition(Type.Repetition.REPEATED)
                && type.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY
                && type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation;
    }

    private static String describe(Type type) {
        if (!type.isPrimitive()) {
            GroupType group = type.asGroupType();
            return "a group (" + String.join(", ", group.getFields().stream().map(Type::getName).toList()) + ")";
        }
        PrimitiveType primitive = type.asPrimitiveType();
        LogicalTypeAnnotation logical = primitive.getLogicalTypeAnnotation();
        return primitive.getPrimitiveTypeName() + (logical == null ? "" : " (" + logical + ")");
    }
}
