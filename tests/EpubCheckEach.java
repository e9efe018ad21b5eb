// EPUBCheck on each EPUB named, in one Java process: its rules are loaded once, not once a book
// (about 4 s each). Run by tests/epub_checkers.py, from source (Java 11's launcher, which needs
// the JDK's compiler: javac):
//   java -cp epubcheck.jar EpubCheckEach.java BOOK.epub REPORT.json [BOOK.epub REPORT.json ...]
// Each book is checked as `java -jar epubcheck.jar BOOK.epub --json REPORT.json` checks it
// (the jar's main does no more than this), and its exit status is printed on a line of its own.

import com.adobe.epubcheck.tool.EpubChecker;

public class EpubCheckEach {
    public static void main(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            int status = new EpubChecker().run(new String[] {args[i], "--json", args[i + 1]});
            System.out.println("epubcheck-exit " + status);
        }
    }
}
