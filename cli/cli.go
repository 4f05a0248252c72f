// Package cli is the headless face of the mezhved binary: every subcommand
// lives in a file of its own and registers itself in the table below.
//
// Exit codes: 0 success; 1 a negative answer (for example an invalid
// signature); 2 bad usage, unreadable input or an error.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Env is what a command may touch: its arguments and streams. Tests give
// their own.
type Env struct {
	Args   []string // arguments after the command name
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// Command is one subcommand. Path is its words ("journal list").
type Command struct {
	Path  string
	Usage string // one line: arguments and flags
	Short string // what it does
	Run   func(env *Env) int
}

var commands = map[string]*Command{}

// Register adds a command; called from init functions of this package.
func Register(c *Command) {
	if _, dup := commands[c.Path]; dup {
		panic("cli: duplicate command " + c.Path)
	}
	commands[c.Path] = c
}

// Run runs the command named by args (without the program name) and returns
// the exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runEnv(&Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv}, args)
}

func runEnv(env *Env, args []string) int {
	stdout, stderr := env.Stdout, env.Stderr
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	// The longest registered path that prefixes args wins ("journal list").
	for n := min(len(args), 3); n >= 1; n-- {
		if c, ok := commands[strings.Join(args[:n], " ")]; ok {
			env.Args = args[n:]
			return c.Run(env)
		}
	}
	fmt.Fprintf(stderr, "mezhved: unknown command %q\n\n", strings.Join(args, " "))
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Mezhved: interagency requests (SMEV 3) for settlement clerks.")
	fmt.Fprintln(w, "Without arguments it opens the window. Commands:")
	paths := make([]string, 0, len(commands))
	for p := range commands {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		c := commands[p]
		fmt.Fprintf(w, "  mezhved %s %s\n      %s\n", p, c.Usage, c.Short)
	}
}

// NewFlagSet returns a flag set that writes its errors to env.Stderr and does
// not exit.
func (env *Env) NewFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("mezhved "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// Parse parses flags and reports whether the command should go on; when it
// returns false the caller returns code.
func (env *Env) Parse(fs *flag.FlagSet) (ok bool, code int) {
	err := fs.Parse(env.Args)
	if errors.Is(err, flag.ErrHelp) {
		return false, 0
	} else if err != nil {
		return false, 2
	}
	return true, 0
}

// Fail prints "mezhved: <err>" to stderr and returns 2.
func (env *Env) Fail(err error) int {
	fmt.Fprintf(env.Stderr, "mezhved: %v\n", err)
	return 2
}
