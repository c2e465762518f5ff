package dev.modelops.sandbox.admission;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The formats Kubernetes holds names, label keys and values and environment variable names to, with the messages of
 * {@code k8s.io/apimachinery/pkg/util/validation} 1.34 word for word. Lengths are in bytes, as Go counts them. Each
 * check returns the messages of what is wrong, none when the value is valid.
 */
final class KubeFormats {

    private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character";
    private static final int QUALIFIED_NAME_MAX_LENGTH = 63;
    private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);

    private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
    private static final String LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric "
            + "characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private static final int LABEL_VALUE_MAX_LENGTH = 63;
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);

    private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case "
            + "alphanumeric characters or '-', and must start and end with an alphanumeric character";
    private static final int DNS1123_LABEL_MAX_LENGTH = 63;
    private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);

    private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    private static final String DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);

    private static final String RELAXED_ENV_VAR_NAME_MSG = "a valid environment variable name must consist only of "
            + "printable ASCII characters other than '='";

    private KubeFormats() {
    }

    /** A label key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
    static List<String> qualifiedName(String value) {
        List<String> errors = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        switch (parts.length) {
            case 1 -> name = parts[0];
            case 2 -> {
                String prefix = parts[0];
                name = parts[1];
                if (prefix.isEmpty()) {
                    errors.add("prefix part must be non-empty");
                } else {
                    dns1123Subdomain(prefix).forEach(message -> errors.add("prefix part " + message));
                }
            }
            default -> {
                errors.add("a qualified name " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName",
                        "my.name", "123-abc") + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errors;
            }
        }
        if (name.isEmpty()) {
            errors.add("name part must be non-empty");
        } else if (bytes(name) > QUALIFIED_NAME_MAX_LENGTH) {
            errors.add("name part " + maxLenError(QUALIFIED_NAME_MAX_LENGTH));
        }
        if (!QUALIFIED_NAME.matcher(name).matches()) {
            errors.add("name part " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
        }
        return errors;
    }

    static List<String> labelValue(String value) {
        List<String> errors = new ArrayList<>();
        if (bytes(value) > LABEL_VALUE_MAX_LENGTH) {
            errors.add(maxLenError(LABEL_VALUE_MAX_LENGTH));
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errors.add(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
        }
        return errors;
    }

    /** A DNS label, such as a container name. */
    static List<String> dns1123Label(String value) {
        List<String> errors = new ArrayList<>();
        if (bytes(value) > DNS1123_LABEL_MAX_LENGTH) {
            errors.add(maxLenError(DNS1123_LABEL_MAX_LENGTH));
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            errors.add(DNS1123_SUBDOMAIN.matcher(value).matches() ? "must not contain dots"
                    : regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"));
        }
        return errors;
    }

    /** A DNS subdomain, such as the name of most objects. */
    static List<String> dns1123Subdomain(String value) {
        List<String> errors = new ArrayList<>();
        if (bytes(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
            errors.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errors.add(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
        }
        return errors;
    }

    /**
     * An environment variable name as API servers check it since Kubernetes 1.32 (RelaxedEnvironmentVariableValidation,
     * on by default then and GA in 1.34): any printable ASCII but '='. An empty name is the caller's to report.
     */
    static List<String> relaxedEnvVarName(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '=') {
                return List.of(RELAXED_ENV_VAR_NAME_MSG);
            }
        }
        return List.of();
    }

    private static String maxLenError(int length) {
        return "must be no more than " + length + " characters";
    }

    /** Go's {@code validation.RegexError}, with its doubled spaces before each {@code or}. */
    private static String regexError(String message, String regex, String... examples) {
        StringBuilder text = new StringBuilder(message).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                text.append(" or ");
            }
            text.append('\'').append(examples[i]).append("', ");
        }
        return text.append("regex used for validation is '").append(regex).append("')").toString();
    }

    private static int bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }
}
